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

    /** Go's {@code time.Duration.String()} (see {@link io.berth.api.GoDurationText}). */
    static String duration(Duration d) { return io.berth.api.GoDurationText.of(d); }
}
