package io.berth.engine.distribution;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which registries are insecure (https without verification, then plain http), as dockerd's {@code isSecureIndex}:
 * a {@code host[:port]} listed as is, or an address inside a listed CIDR. Loopback ({@code 127.0.0.0/8},
 * {@code ::1/128}, {@code localhost}) always is. Host names are resolved only when CIDRs other than loopback are
 * configured, so the default setup never asks DNS.
 */
final class InsecureRegistries {
    private record Cidr(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) return false;
            }
            return true;
        }
    }

    private final List<String> hosts = new ArrayList<>();
    private final List<Cidr> cidrs = new ArrayList<>();
    private final boolean resolveNames;

    InsecureRegistries(List<String> entries, boolean loopbackInsecure) {
        for (String entry : entries) {
            String e = entry.trim().toLowerCase(Locale.ROOT).replaceFirst("^https?://", "").replaceFirst("/+$", "");
            int slash = e.indexOf('/');
            if (slash > 0 && e.substring(slash + 1).matches("\\d+")) {
                cidrs.add(cidr(e.substring(0, slash), Integer.parseInt(e.substring(slash + 1))));
            } else {
                hosts.add(e);
            }
        }
        resolveNames = !cidrs.isEmpty();
        if (loopbackInsecure) {
            cidrs.add(cidr("127.0.0.0", 8));
            cidrs.add(cidr("::1", 128));
            hosts.add("localhost");
        }
    }

    /** Whether {@code host[:port]} (as in an image reference) is insecure. */
    boolean isInsecure(String hostPort) {
        String hp = hostPort.toLowerCase(Locale.ROOT);
        if (hosts.contains(hp)) return true;
        String host = hostOnly(hp);
        if (hosts.contains(host)) return true;
        for (byte[] address : addresses(host)) {
            for (Cidr c : cidrs) if (c.contains(address)) return true;
        }
        return false;
    }

    private List<byte[]> addresses(String host) {
        boolean literal = host.contains(":") || host.matches("[0-9.]+");
        if (!literal && !resolveNames) return List.of();
        try {
            List<byte[]> out = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(host)) out.add(a.getAddress());
            return out;
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    /** {@code host} of {@code host[:port]}, {@code [::1]:5000} → {@code ::1}. */
    static String hostOnly(String hostPort) {
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end > 0 ? hostPort.substring(1, end) : hostPort;
        }
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 && hostPort.indexOf(':') == colon ? hostPort.substring(0, colon) : hostPort;
    }

    private static Cidr cidr(String address, int bits) {
        try {
            byte[] network = InetAddress.getByName(address).getAddress();
            return new Cidr(network, Math.min(bits, network.length * 8));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid CIDR in insecure-registries: " + address + "/" + bits, e);
        }
    }
}
