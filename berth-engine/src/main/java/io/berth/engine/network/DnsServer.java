package io.berth.engine.network;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded DNS resolver, serving a UDP and a TCP socket bound by its owner (in Berth, on
 * 127.0.0.11:53 inside a container's network namespace: {@link ContainerDns}). A and AAAA queries for a name
 * {@code lookup} knows are answered here (other types of a known name get an empty answer); every
 * other query is relayed as is to the upstream resolvers, over the transport it came on. The sockets
 * keep the namespace they were made in, so the serving threads are ordinary virtual threads. A small
 * wire parser of its own.
 */
final class DnsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
    private static final int TIMEOUT_MS = 2000;
    private static final int TYPE_A = 1;
    private static final int TYPE_AAAA = 28;

    private final DatagramChannel udp;
    private final ServerSocketChannel tcp;
    private final Function<String, List<String>> lookup;
    private final List<InetSocketAddress> upstreams;

    /** {@code lookup} maps a lower-case name to the IPv4 and IPv6 addresses to answer (empty: not ours, forward it). */
    DnsServer(DatagramChannel udp, ServerSocketChannel tcp, Function<String, List<String>> lookup, List<InetSocketAddress> upstreams) {
        this.udp = udp;
        this.tcp = tcp;
        this.lookup = lookup;
        this.upstreams = List.copyOf(upstreams);
    }

    /** Starts serving both sockets on virtual threads named after {@code name}. */
    DnsServer start(String name) {
        Thread.ofVirtual().name("dns-udp-" + name).start(this::serveUdp);
        Thread.ofVirtual().name("dns-tcp-" + name).start(this::serveTcp);
        return this;
    }

    /** The name servers of a resolv.conf file (what Docker forwards to when no --dns is given). */
    static List<InetSocketAddress> nameServers(Path resolvConf) {
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver")) out.add(new InetSocketAddress(InetAddress.getByName(f[1]), 53));
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", resolvConf, e.getMessage());
        }
        return out;
    }

    private void serveUdp() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (udp.isOpen()) {
            try {
                buf.clear();
                SocketAddress from = udp.receive(buf);
                buf.flip();
                byte[] q = new byte[buf.remaining()];
                buf.get(q);
                Thread.ofVirtual().start(() -> answerUdp(q, from));
            } catch (IOException e) {
                if (!udp.isOpen()) return;
                LOG.debug("dns udp: {}", e.toString());
            }
        }
    }

    private void answerUdp(byte[] q, SocketAddress from) {
        try {
            byte[] reply = handle(q, false);
            if (reply != null) udp.send(ByteBuffer.wrap(reply), from);
        } catch (IOException | RuntimeException e) {
            LOG.debug("dns: {}", e.toString());
        }
    }

    private void serveTcp() {
        while (tcp.isOpen()) {
            try {
                SocketChannel conn = tcp.accept();
                Thread.ofVirtual().start(() -> answerTcp(conn));
            } catch (IOException e) {
                if (!tcp.isOpen()) return;
                LOG.debug("dns tcp: {}", e.toString());
            }
        }
    }

    /** Answers length-prefixed queries on one connection until the client closes it. */
    private void answerTcp(SocketChannel conn) {
        try (conn) {
            DataInputStream in = new DataInputStream(Channels.newInputStream(conn));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(conn));
            while (true) {
                int len;
                try {
                    len = in.readUnsignedShort();
                } catch (java.io.EOFException e) {
                    return;
                }
                byte[] q = in.readNBytes(len);
                byte[] reply = handle(q, true);
                if (reply == null) return;
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("dns tcp: {}", e.toString());
        }
    }

    /** The question of a query: name (lower case, no trailing dot), type, and where the question section ends. */
    record Question(String name, int type, int end) {}

    static Question question(byte[] q) {
        if (q.length < 12 || ((q[4] & 255) << 8 | (q[5] & 255)) != 1) return null;
        StringBuilder name = new StringBuilder();
        int i = 12;
        while (i < q.length) {
            int len = q[i] & 255;
            if (len == 0) break;
            if (len > 63 || i + 1 + len > q.length) return null;
            if (!name.isEmpty()) name.append('.');
            name.append(new String(q, i + 1, len, StandardCharsets.US_ASCII));
            i += 1 + len;
        }
        if (i + 5 > q.length) return null;
        int type = (q[i + 1] & 255) << 8 | (q[i + 2] & 255);
        return new Question(name.toString().toLowerCase(Locale.ROOT), type, i + 5);
    }

    /** The reply to one query (null: not a query to answer), forwarded over TCP when {@code tcp}. */
    byte[] handle(byte[] q, boolean tcp) {
        Question qu = question(q);
        if (qu == null) return null;
        List<String> ips = lookup.apply(qu.name());
        if (!ips.isEmpty()) return reply(q, qu, ips.stream().filter(ip -> answers(qu.type(), ip)).toList(), 0);
        return tcp ? forwardTcp(q, qu) : forwardUdp(q, qu);
    }

    /** Whether a query of {@code type} (1 A, 28 AAAA) is answered with {@code ip}. */
    private static boolean answers(int type, String ip) { return ip.contains(":") ? type == TYPE_AAAA : type == TYPE_A; }

    /** A response to {@code q} with A answers for IPv4 addresses and AAAA ones for IPv6 ({@code rcode} 0 NOERROR, 2 SERVFAIL). */
    static byte[] reply(byte[] q, Question qu, List<String> ips, int rcode) {
        ByteBuffer out = ByteBuffer.allocate(qu.end() + ips.size() * 28);
        out.put(q, 0, 2);
        out.put((byte) (0x80 | (q[2] & 0x79))); // QR, opcode, RD; AA off
        out.put((byte) (0x80 | rcode));          // RA
        out.putShort((short) 1).putShort((short) ips.size()).putShort((short) 0).putShort((short) 0);
        out.put(q, 12, qu.end() - 12);
        for (String ip : ips) {
            if (ip.contains(":")) {
                out.putShort((short) 0xC00C).putShort((short) TYPE_AAAA).putShort((short) 1).putInt(600).putShort((short) 16)
                   .put(Cidr6.bytes(Cidr6.ip(ip)));
            } else {
                out.putShort((short) 0xC00C).putShort((short) TYPE_A).putShort((short) 1).putInt(600).putShort((short) 4)
                   .putInt(Cidr.ip(ip));
            }
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    private byte[] forwardUdp(byte[] q, Question qu) {
        for (InetSocketAddress up : upstreams) {
            try (java.net.DatagramSocket ch = new java.net.DatagramSocket()) {
                ch.setSoTimeout(TIMEOUT_MS);
                ch.send(new java.net.DatagramPacket(q, q.length, up));
                java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[4096], 4096);
                ch.receive(p);
                return Arrays.copyOf(p.getData(), p.getLength());
            } catch (IOException e) {
                LOG.debug("dns forward to {}: {}", up, e.toString());
            }
        }
        return reply(q, qu, List.of(), 2);
    }

    private byte[] forwardTcp(byte[] q, Question qu) {
        for (InetSocketAddress up : upstreams) {
            try (Socket s = new Socket()) {
                s.connect(up, TIMEOUT_MS);
                s.setSoTimeout(TIMEOUT_MS);
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeShort(q.length);
                out.write(q);
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                return in.readNBytes(in.readUnsignedShort());
            } catch (IOException e) {
                LOG.debug("dns forward over tcp to {}: {}", up, e.toString());
            }
        }
        return reply(q, qu, List.of(), 2);
    }

    @Override public void close() {
        for (var ch : List.of(udp, tcp)) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("dns close: {}", e.toString());
            }
        }
    }
}
