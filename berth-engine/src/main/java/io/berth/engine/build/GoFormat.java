package io.berth.engine.build;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The few Go {@code fmt} verbs whose output Docker stores in cache keys and history ({@code CMD %q},
 * {@code SHELL %v}, {@code HEALTHCHECK %q}): they must be byte for byte Go's, or the cache and {@code docker history}
 * differ from Docker's.
 */
final class GoFormat {
    private GoFormat() {}

    /** Go's {@code strconv.Quote}. */
    static String quote(String s) { return io.berth.engine.build.dockerfile.GoQuote.of(s); }

    /** {@code %q} of an integer: Go's {@code strconv.QuoteRune}, {@code '\x00'} for 0, {@code '\x03'} for 3, {@code 'A'} for 65. */
    static String quoteRune(int c) {
        String body = switch (c) {
            case '\'' -> "\\'";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            case 7 -> "\\a";
            case 8 -> "\\b";
            case 12 -> "\\f";
            case 11 -> "\\v";
            default -> c < 0 || c > Character.MAX_CODE_POINT ? "\uFFFD"
                    : c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : Character.toString(c);
        };
        return "'" + body + "'";
    }

    /** {@code %q} of a {@code []string}: {@code ["a" "b"]}. */
    static String quoteList(List<String> l) {
        return l == null ? "[]" : l.stream().map(GoFormat::quote).collect(Collectors.joining(" ", "[", "]"));
    }

    /** {@code %v} of a {@code []string}: {@code [a b]}. */
    static String list(List<String> l) { return l == null ? "[]" : "[" + String.join(" ", l) + "]"; }

    /** Go's {@code time.Duration.String()}: {@code 0s}, {@code 1.5s}, {@code 5m0s}, {@code 1h0m0s}, {@code 300ms}. */
    static String duration(Duration d) {
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
