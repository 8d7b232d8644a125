package io.berth.engine.build.dockerfile;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration} (HEALTHCHECK's {@code --interval} and friends): a sequence of decimal numbers with
 * units {@code ns us µs ms s m h}, e.g. {@code 30s}, {@code 1m30s}, {@code 1.5h}, {@code 500ms}; a bare {@code 0}
 * is allowed. Errors carry Go's messages.
 */
final class GoDuration {
    private static final Map<String, Long> UNITS = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {}

    static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && digit(s.charAt(i))) {
                i++;
            }
            boolean pre = i > start;
            boolean post = false;
            if (i < s.length() && s.charAt(i) == '.') {
                int fraction = ++i;
                while (i < s.length() && digit(s.charAt(i))) {
                    i++;
                }
                post = i > fraction;
            }
            if (!pre && !post) {
                throw invalid(text);
            }
            String number = s.substring(start, i);
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !digit(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new ParseError("time: missing unit in duration " + GoQuote.of(text));
            }
            Long nanos = UNITS.get(unit);
            if (nanos == null) {
                throw new ParseError("time: unknown unit " + GoQuote.of(unit) + " in duration " + GoQuote.of(text));
            }
            String n = number.endsWith(".") ? number + "0" : number.startsWith(".") ? "0" + number : number;
            total = total.add(new BigDecimal(n).multiply(BigDecimal.valueOf(nanos)));
        }
        BigDecimal whole = total.setScale(0, RoundingMode.DOWN);
        if (whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw invalid(text);
        }
        long ns = whole.longValueExact();
        return Duration.ofNanos(negative ? -ns : ns);
    }

    private static boolean digit(char c) { return c >= '0' && c <= '9'; }

    private static ParseError invalid(String text) {
        return new ParseError("time: invalid duration " + GoQuote.of(text));
    }
}
