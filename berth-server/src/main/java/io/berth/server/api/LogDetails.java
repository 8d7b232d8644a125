package io.berth.server.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The prefix {@code GET /containers/{id}/logs?details=1} puts before each line, as moby's
 * {@code attrsByteSlice}: {@code key=value} pairs in the given order, query-escaped as Go's
 * {@code url.QueryEscape}, joined by commas, then one space (only the space when there are none).
 */
final class LogDetails {
    private LogDetails() {}

    static byte[] prefix(Map<String, String> attrs) {
        StringBuilder b = new StringBuilder();
        attrs.forEach((k, v) -> {
            if (!b.isEmpty()) b.append(',');
            b.append(queryEscape(k)).append('=').append(queryEscape(v));
        });
        return b.append(' ').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Go's url.QueryEscape: unreserved bytes kept, space as '+', every other byte as %XX. */
    static String queryEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                b.append((char) c);
            } else if (c == ' ') {
                b.append('+');
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
