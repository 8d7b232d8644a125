package io.berth.engine.build.dockerfile;

/**
 * Go's {@code %q} / {@code strconv.Quote}, for the texts Docker's error messages quote and the history texts the
 * builder writes as moby's {@code fmt} does.
 */
public final class GoQuote {
    private GoQuote() {}

    public static String of(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case 7 -> out.append("\\a");
                case 8 -> out.append("\\b");
                case 12 -> out.append("\\f");
                case 11 -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
