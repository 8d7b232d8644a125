package io.berth.api;

import java.time.Duration;

/**
 * Go's {@code time.Duration.String()}, which Docker prints in texts clients see: the builder's history lines and
 * the health check's "Health check exceeded timeout (500ms)".
 */
public final class GoDurationText {
    private GoDurationText() {}

    /** Go's {@code time.Duration.String()}: {@code 0s}, {@code 1.5s}, {@code 5m0s}, {@code 1h0m0s}, {@code 300ms}. */
    public static String of(Duration d) {
        long ns = d == null ? 0 : d.toNanos();
        if (ns == 0) return "0s";
        String sign = ns < 0 ? "-" : "";
        ns = Math.abs(ns);
        if (ns < 1_000_000_000L) {
            if (ns < 1_000) return sign + ns + "ns";
            if (ns < 1_000_000) return sign + fraction(ns, 1_000) + "µs";
            return sign + fraction(ns, 1_000_000) + "ms";
        }
        long h = ns / 3_600_000_000_000L;
        long rest = ns % 3_600_000_000_000L;
        long m = rest / 60_000_000_000L;
        long secNs = rest % 60_000_000_000L;
        String s = fraction(secNs, 1_000_000_000L) + "s";
        if (h > 0) return sign + h + "h" + m + "m" + s;
        if (m > 0) return sign + m + "m" + s;
        return sign + s;
    }

    private static String fraction(long v, long unit) {
        long whole = v / unit;
        long frac = v % unit;
        if (frac == 0) return Long.toString(whole);
        String digits = String.format("%0" + Long.toString(unit).length() + "d", frac).substring(1);
        return whole + "." + digits.replaceAll("0+$", "");
    }
}
