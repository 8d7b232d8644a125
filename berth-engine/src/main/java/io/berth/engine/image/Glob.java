package io.berth.engine.image;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Go's {@code path.Match} patterns ({@code *}, {@code ?}, {@code [...]}, {@code \}) as used by Docker's reference filter. */
final class Glob {
    private Glob() {}

    static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '\\' -> {
                    if (i + 1 < glob.length()) re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                }
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) throw new IllegalArgumentException("syntax error in pattern " + glob);
                    String cls = glob.substring(i + 1, end);
                    if (cls.startsWith("^")) cls = "^" + cls.substring(1);
                    re.append('[').append(cls.replace("\\", "\\\\")).append(']');
                    i = end;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return Pattern.compile(re.toString());
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("syntax error in pattern " + glob);
        }
    }
}
