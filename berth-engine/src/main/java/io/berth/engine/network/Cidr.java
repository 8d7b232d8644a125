package io.berth.engine.network;

import io.berth.api.errors.BerthException;

/** An IPv4 prefix: {@code base} is the network address as an unsigned int, {@code bits} the prefix length. */
public record Cidr(int base, int bits) {
    public Cidr {
        if (bits < 0 || bits > 32) throw new IllegalArgumentException("bad prefix length " + bits);
        base = base & mask(bits);
    }

    static int mask(int bits) { return bits == 0 ? 0 : -1 << (32 - bits); }

    /** Parses {@code 10.1.0.0/16}; an address with host bits set is an error, as Docker says it. */
    public static Cidr parse(String s) {
        int bits = prefixLength(s, 32);
        return new Cidr(ip(s.substring(0, s.indexOf('/'))), bits);
    }

    /** The prefix length after the {@code /} of {@code s}, 0 to {@code max}; else Docker's "invalid CIDR address". */
    static int prefixLength(String s, int max) {
        int slash = s.indexOf('/');
        if (slash < 0) throw new BerthException.InvalidArgument("invalid CIDR address: " + s);
        int bits;
        try {
            bits = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new BerthException.InvalidArgument("invalid CIDR address: " + s);
        }
        if (bits < 0 || bits > max) throw new BerthException.InvalidArgument("invalid CIDR address: " + s);
        return bits;
    }

    /** Parses like {@link #parse} but keeps the host part: {@code 10.1.0.1/16} → address and prefix. */
    public static int[] parseHost(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) throw new BerthException.InvalidArgument("invalid CIDR address: " + s);
        return new int[] {ip(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1))};
    }

    public static int ip(String s) {
        String[] p = s.trim().split("\\.");
        if (p.length != 4) throw new BerthException.InvalidArgument("invalid IP address: " + s);
        int v = 0;
        for (String x : p) {
            int n;
            try {
                n = Integer.parseInt(x);
            } catch (NumberFormatException e) {
                throw new BerthException.InvalidArgument("invalid IP address: " + s);
            }
            if (n < 0 || n > 255) throw new BerthException.InvalidArgument("invalid IP address: " + s);
            v = v << 8 | n;
        }
        return v;
    }

    public static String str(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 255) + "." + (ip >>> 8 & 255) + "." + (ip & 255);
    }

    public static boolean isIp(String s) {
        try {
            ip(s);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public long size() { return 1L << (32 - bits); }

    public int last() { return base | ~mask(bits); }

    public boolean contains(int ip) { return (ip & mask(bits)) == base; }

    public boolean overlaps(Cidr o) {
        int b = Math.min(bits, o.bits);
        return (base & mask(b)) == (o.base & mask(b));
    }

    @Override public String toString() { return str(base) + "/" + bits; }
}
