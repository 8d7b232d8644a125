package io.berth.engine.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
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
 * The embedded DNS server of one user-defined network, bound on the network's gateway address
 * (port 53, UDP) rather than Docker's 127.0.0.11 + DNAT inside each container: containers' resolv.conf
 * names the gateway. A queries for a container name, alias or short ID on the network are answered
 * here; every other query is relayed as is to the host's resolvers. A small wire parser of its own.
 */
final class DnsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
    private final DatagramChannel channel;
    private final Function<String, List<String>> lookup;
    private final List<InetSocketAddress> upstreams;

    private DnsServer(DatagramChannel channel, Function<String, List<String>> lookup, List<InetSocketAddress> upstreams) {
        this.channel = channel;
        this.lookup = lookup;
        this.upstreams = upstreams;
    }

    /** Binds {@code address:53}; {@code lookup} maps a lower-case name to the IPv4 addresses to answer (empty: not ours). */
    static DnsServer start(String address, Function<String, List<String>> lookup) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.bind(new InetSocketAddress(InetAddress.getByName(address), 53));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        DnsServer s = new DnsServer(ch, lookup, hostResolvers());
        Thread.ofVirtual().name("dns-" + address).start(s::serve);
        return s;
    }

    static List<InetSocketAddress> hostResolvers() {
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver")) out.add(new InetSocketAddress(InetAddress.getByName(f[1]), 53));
            }
        } catch (IOException e) {
            LOG.warn("cannot read the host's resolv.conf: {}", e.getMessage());
        }
        return out;
    }

    private void serve() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (channel.isOpen()) {
            try {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                buf.flip();
                byte[] q = new byte[buf.remaining()];
                buf.get(q);
                Thread.ofVirtual().start(() -> answer(q, from));
            } catch (IOException e) {
                if (!channel.isOpen()) return;
            }
        }
    }

    private void answer(byte[] q, SocketAddress from) {
        try {
            byte[] reply = handle(q);
            if (reply != null) channel.send(ByteBuffer.wrap(reply), from);
        } catch (IOException | RuntimeException e) {
            LOG.debug("dns: {}", e.toString());
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
            name.append(new String(q, i + 1, len, java.nio.charset.StandardCharsets.US_ASCII));
            i += 1 + len;
        }
        if (i + 5 > q.length) return null;
        int type = (q[i + 1] & 255) << 8 | (q[i + 2] & 255);
        return new Question(name.toString().toLowerCase(Locale.ROOT), type, i + 5);
    }

    byte[] handle(byte[] q) throws IOException {
        Question qu = question(q);
        if (qu == null) return null;
        List<String> ips = lookup.apply(qu.name());
        if (!ips.isEmpty()) return reply(q, qu, qu.type() == 1 ? ips : List.of(), 0);
        return forward(q, qu);
    }

    /** A response to {@code q} with A answers ({@code rcode} 0 NOERROR, 2 SERVFAIL). */
    static byte[] reply(byte[] q, Question qu, List<String> ips, int rcode) {
        ByteBuffer out = ByteBuffer.allocate(qu.end() + ips.size() * 16);
        out.put(q, 0, 2);
        out.put((byte) (0x80 | (q[2] & 0x79))); // QR, opcode, RD; AA off
        out.put((byte) (0x80 | rcode));          // RA
        out.putShort((short) 1).putShort((short) ips.size()).putShort((short) 0).putShort((short) 0);
        out.put(q, 12, qu.end() - 12);
        for (String ip : ips) {
            out.putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(600).putShort((short) 4)
               .putInt(Cidr.ip(ip));
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    private byte[] forward(byte[] q, Question qu) {
        for (InetSocketAddress up : upstreams) {
            try (java.net.DatagramSocket ch = new java.net.DatagramSocket()) {
                ch.setSoTimeout(2000);
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

    @Override public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
