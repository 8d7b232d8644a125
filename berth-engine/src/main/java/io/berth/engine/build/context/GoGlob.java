package io.berth.engine.build.context;

import java.util.regex.Pattern;

/**
 * Go's {@code filepath.Match} for one path segment ({@code *}, {@code ?}, {@code [a-z]}, {@code [^…]}, {@code \}
 * escapes; nothing crosses {@code /}), which COPY and ADD sources use for wildcards.
 */
final class GoGlob {
    private GoGlob() {}

    /** moby's {@code containsWildcards}: an unescaped {@code *}, {@code ?} or {@code [}. */
    static boolean hasWildcards(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == '*' || c == '?' || c == '[') return true;
        }
        return false;
    }

    /** The segment pattern as a regular expression; IllegalArgumentException for a malformed class or escape. */
    static Pattern compile(String pattern) {
        StringBuilder re = new StringBuilder();
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '\\' -> {
                    if (++i >= n) throw new IllegalArgumentException("syntax error in pattern");
                    re.append(Pattern.quote(String.valueOf(pattern.charAt(i))));
                }
                case '[' -> {
                    int j = i + 1;
                    StringBuilder cls = new StringBuilder("[");
                    if (j < n && pattern.charAt(j) == '^') {
                        cls.append('^');
                        j++;
                    }
                    boolean any = false;
                    for (; j < n && (pattern.charAt(j) != ']' || !any); j++) {
                        char k = pattern.charAt(j);
                        if (k == '\\') {
                            if (++j >= n) throw new IllegalArgumentException("syntax error in pattern");
                            k = pattern.charAt(j);
                        }
                        if (k == '-' && any && j + 1 < n && pattern.charAt(j + 1) != ']') {
                            cls.append('-');
                            continue;
                        }
                        cls.append(Character.isLetterOrDigit(k) ? String.valueOf(k) : "\\" + k);
                        any = true;
                    }
                    if (j >= n) throw new IllegalArgumentException("syntax error in pattern");
                    re.append(cls).append(']');
                    i = j;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
