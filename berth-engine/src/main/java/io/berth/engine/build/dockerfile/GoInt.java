package io.berth.engine.build.dockerfile;

/** Go's {@code strconv.ParseInt(s, 10, 32)} with its error messages (HEALTHCHECK {@code --retries}). */
final class GoInt {
    private GoInt() {}

    static int parseInt32(String s) {
        if (!s.matches("[+-]?[0-9]+")) {
            throw new ParseError("strconv.ParseInt: parsing " + GoQuote.of(s) + ": invalid syntax");
        }
        try {
            return Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw new ParseError("strconv.ParseInt: parsing " + GoQuote.of(s) + ": value out of range");
        }
    }
}
