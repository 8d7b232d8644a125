package io.berth.engine.network;

import io.berth.api.errors.BerthException;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 prefix: {@code base} is the network address as an unsigned 128-bit number, {@code bits} the
 * prefix length. The IPv6 twin of {@link Cidr}; addresses print in RFC 5952's short form, as Docker shows them.
 */
public record Cidr6(BigInteger base, int bits) {
    private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    public Cidr6 {
        if (bits < 0 || bits > 128) throw new IllegalArgumentException("bad prefix length " + bits);
        base = base.and(mask(bits));
    }

    private static BigInteger mask(int bits) { return ALL.xor(ALL.shiftRight(bits)); }

    /** Parses {@code 2001:db8::/64}, keeping no host part (as {@link Cidr#parse}); a bad one is Docker's "invalid CIDR address". */
    public static Cidr6 parse(String s) {
        int bits = Cidr.prefixLength(s, 128);
        String addr = s.substring(0, s.indexOf('/'));
        if (!isIp(addr)) throw new BerthException.InvalidArgument("invalid CIDR address: " + s);
        return new Cidr6(ip(addr), bits);
    }

    /** Whether {@code s} is an IPv6 literal (checked without any name lookup). */
    public static boolean isIp(String s) {
        if (s == null || s.indexOf(':') < 0 || !s.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == ':' || ch == '.')) {
            return false;
        }
        try {
            return InetAddress.getByName(s) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The address as a number; not an IPv6 literal is Docker's "invalid IP address". */
    public static BigInteger ip(String s) {
        if (!isIp(s)) throw new BerthException.InvalidArgument("invalid IP address: " + s);
        try {
            return new BigInteger(1, InetAddress.getByName(s).getAddress());
        } catch (UnknownHostException e) {
            throw new BerthException.InvalidArgument("invalid IP address: " + s);
        }
    }

    /** The 16 bytes of an address, in network order. */
    static byte[] bytes(BigInteger ip) {
        byte[] raw = ip.toByteArray();
        byte[] out = new byte[16];
        int n = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - n, out, 16 - n, n);
        return out;
    }

    /** RFC 5952: lower-case hex groups, the longest run (of two or more) of zero groups as {@code ::}. */
    public static String str(BigInteger ip) {
        byte[] b = bytes(ip);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = (b[2 * i] & 255) << 8 | (b[2 * i + 1] & 255);
        int bestAt = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** The number of addresses. */
    public BigInteger size() { return BigInteger.ONE.shiftLeft(128 - bits); }

    public boolean contains(BigInteger ip) { return ip.and(mask(bits)).equals(base); }

    public boolean overlaps(Cidr6 o) {
        BigInteger m = mask(Math.min(bits, o.bits));
        return base.and(m).equals(o.base.and(m));
    }

    @Override public String toString() { return str(base) + "/" + bits; }
}
