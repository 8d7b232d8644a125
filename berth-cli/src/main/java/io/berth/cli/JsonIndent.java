package io.berth.cli;

/** Go's json.Indent(prefix "", indent "    "): re-indents raw JSON text, keeping keys, order and number literals. */
final class JsonIndent {
    private JsonIndent() {}

    static String indent(String json) {
        StringBuilder out = new StringBuilder(json.length() * 2);
        int depth = 0;
        boolean inString = false, escape = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (escape) escape = false;
                else if (c == '\\') escape = true;
                else if (c == '"') inString = false;
                continue;
            }
            switch (c) {
                case ' ', '\t', '\n', '\r' -> { }
                case '"' -> { inString = true; out.append(c); }
                case '{', '[' -> {
                    int j = i + 1;
                    while (j < json.length() && Character.isWhitespace(json.charAt(j))) j++;
                    char close = c == '{' ? '}' : ']';
                    if (j < json.length() && json.charAt(j) == close) {
                        out.append(c).append(close);
                        i = j;
                    } else {
                        depth++;
                        out.append(c).append('\n').append("    ".repeat(depth));
                    }
                }
                case '}', ']' -> { depth--; out.append('\n').append("    ".repeat(Math.max(0, depth))).append(c); }
                case ',' -> out.append(",\n").append("    ".repeat(depth));
                case ':' -> out.append(": ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
