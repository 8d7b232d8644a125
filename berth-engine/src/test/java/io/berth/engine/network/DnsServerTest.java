package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded DNS resolver on loopback sockets (what {@link ContainerDns} binds on 127.0.0.11:53 in a
 * container's netns): known names answered over UDP and TCP, the rest relayed to a fake upstream. No root.
 */
class DnsServerTest {
    private static final Map<String, List<String>> NAMES = Map.of("web", List.of("10.9.0.2"), "db.itnet", List.of("10.9.0.3"),
            "v6web", List.of("10.9.0.4", "2001:db8:1::4"));
    private final InetAddress lo = InetAddress.getLoopbackAddress();
    private DnsServer server;
    private DatagramSocket upstream;

    @AfterEach
    void close() {
        if (server != null) server.close();
        if (upstream != null) upstream.close();
    }

    private InetSocketAddress[] start(List<InetSocketAddress> upstreams) throws IOException {
        DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(lo, 0));
        ServerSocketChannel tcp = ServerSocketChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(lo, 0));
        server = new DnsServer(udp, tcp, n -> NAMES.getOrDefault(n, List.of()), upstreams).start("test");
        return new InetSocketAddress[] {(InetSocketAddress) udp.getLocalAddress(), (InetSocketAddress) tcp.getLocalAddress()};
    }

    static byte[] query(int id, String name, int type) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            b.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.put((byte) 0).putShort((short) type).putShort((short) 1);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] udp(InetSocketAddress to, byte[] q) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(5000);
            s.send(new DatagramPacket(q, q.length, to));
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            s.receive(p);
            return Arrays.copyOf(p.getData(), p.getLength());
        }
    }

    private static int answers(byte[] r) { return (r[6] & 255) << 8 | (r[7] & 255); }

    private static int rcode(byte[] r) { return r[3] & 15; }

    private static String lastA(byte[] r) {
        int n = r.length;
        return (r[n - 4] & 255) + "." + (r[n - 3] & 255) + "." + (r[n - 2] & 255) + "." + (r[n - 1] & 255);
    }

    @Test
    void answersAKnownNameOverUdpCaseInsensitively() throws IOException {
        InetSocketAddress[] at = start(List.of());
        byte[] r = udp(at[0], query(0x1234, "WEB", 1));
        assertThat(r[0]).isEqualTo((byte) 0x12);
        assertThat(r[1]).isEqualTo((byte) 0x34);
        assertThat(r[2] & 0x80).as("QR").isNotZero();
        assertThat(rcode(r)).isZero();
        assertThat(answers(r)).isEqualTo(1);
        assertThat(lastA(r)).isEqualTo("10.9.0.2");
    }

    @Test
    void aaaaOfAKnownNameIsAnEmptyAnswerNotAForward() throws IOException {
        InetSocketAddress[] at = start(List.of());
        byte[] r = udp(at[0], query(7, "web", 28));
        assertThat(rcode(r)).isZero();
        assertThat(answers(r)).isZero();
    }

    @Test
    void aContainerWithAnIpv6AddressHasAnAAndAnAaaaAnswer() throws IOException {
        InetSocketAddress[] at = start(List.of());
        byte[] a = udp(at[0], query(8, "v6web", 1));
        assertThat(answers(a)).isEqualTo(1);
        assertThat(lastA(a)).isEqualTo("10.9.0.4");
        byte[] aaaa = udp(at[0], query(8, "v6web", 28));
        assertThat(rcode(aaaa)).isZero();
        assertThat(answers(aaaa)).isEqualTo(1);
        int n = aaaa.length;
        assertThat(((aaaa[n - 26] & 255) << 8) | (aaaa[n - 25] & 255)).as("TYPE").isEqualTo(28);
        assertThat(Arrays.copyOfRange(aaaa, n - 16, n)).isEqualTo(InetAddress.getByName("2001:db8:1::4").getAddress());
    }

    @Test
    void answersOverTcpWithLengthPrefixes() throws IOException {
        InetSocketAddress[] at = start(List.of());
        try (Socket s = new Socket(at[1].getAddress(), at[1].getPort())) {
            s.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (String name : List.of("web", "db.itnet")) {
                byte[] q = query(9, name, 1);
                out.writeShort(q.length);
                out.write(q);
                out.flush();
                byte[] r = in.readNBytes(in.readUnsignedShort());
                assertThat(answers(r)).isEqualTo(1);
                assertThat(lastA(r)).isEqualTo(name.equals("web") ? "10.9.0.2" : "10.9.0.3");
            }
        }
    }

    @Test
    void forwardsOtherNamesToTheUpstreamAndRelaysItsReply() throws IOException {
        upstream = new DatagramSocket(new InetSocketAddress(lo, 0));
        Thread.ofVirtual().start(() -> {
            try {
                DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
                upstream.receive(p);
                byte[] q = Arrays.copyOf(p.getData(), p.getLength());
                byte[] reply = DnsServer.reply(q, DnsServer.question(q), List.of("192.0.2.7"), 0);
                upstream.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException e) {
                // the test fails on the missing answer
            }
        });
        InetSocketAddress[] at = start(List.of((InetSocketAddress) upstream.getLocalSocketAddress()));
        byte[] r = udp(at[0], query(42, "example.org", 1));
        assertThat(answers(r)).isEqualTo(1);
        assertThat(lastA(r)).isEqualTo("192.0.2.7");
    }

    @Test
    void noReachableUpstreamIsServfail() throws IOException {
        InetSocketAddress[] at = start(List.of());
        byte[] r = udp(at[0], query(5, "example.org", 1));
        assertThat(rcode(r)).isEqualTo(2);
        assertThat(answers(r)).isZero();
    }
}
