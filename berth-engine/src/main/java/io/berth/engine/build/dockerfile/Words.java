package io.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How BuildKit's parser cuts a logical line: the keyword, the leading {@code --flags}, and the argument text into
 * words (quotes and escapes kept: they are removed when the builder expands the word).
 */
final class Words {
    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\x0B\\f\\r ]+");

    private Words() {}

    /** A line cut into keyword, flags ({@code --name[=value]}, quotes removed) and the trimmed rest. */
    record Split(String keyword, List<String> flags, String rest) {}

    static Split split(String line, char escape) {
        String[] parts = WHITESPACE.split(line.strip(), 2);
        if (parts.length < 2) {
            return new Split(parts[0], List.of(), "");
        }
        List<String> flags = new ArrayList<>();
        String rest = builderFlags(parts[1], escape, flags);
        return new Split(parts[0], flags, rest.strip());
    }

    /** Splits on runs of white space (FROM, EXPOSE, the shell form of COPY/ADD/VOLUME); empty text gives no words. */
    static List<String> whitespaceDelimited(String rest) {
        if (rest.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(WHITESPACE.split(rest, -1));
    }

    /** Reads the leading {@code --flag} words of {@code line} into {@code flags}; returns the text after them. */
    private static String builderFlags(String line, char escape, List<String> flags) {
        StringBuilder word = new StringBuilder();
        int pos = 0;
        int n = line.length();
        while (true) {
            while (pos < n && Character.isWhitespace(line.charAt(pos))) {
                pos++;
            }
            if (pos == n) {
                return "";
            }
            if (line.charAt(pos) != '-' || pos + 1 == n || line.charAt(pos + 1) != '-') {
                return line.substring(pos);
            }
            word.setLength(0);
            boolean blankOk = false;
            char quote = 0;
            for (; pos < n; pos++) {
                char ch = line.charAt(pos);
                if (quote != 0) {
                    if (ch == quote) {
                        quote = 0;
                        continue;
                    }
                    if (ch == escape) {
                        if (pos + 1 == n) {
                            quote = 0;
                            continue;
                        }
                        ch = line.charAt(++pos);
                    }
                    word.append(ch);
                    continue;
                }
                if (Character.isWhitespace(ch)) {
                    break;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                    continue;
                }
                if (ch == escape) {
                    if (pos + 1 == n) {
                        continue;
                    }
                    ch = line.charAt(++pos);
                }
                word.append(ch);
            }
            String w = word.toString();
            if (w.equals("--")) {
                return pos == n ? "" : line.substring(pos);
            }
            if (blankOk || !w.isEmpty()) {
                flags.add(w);
            }
            if (pos == n) {
                return "";
            }
        }
    }

    /**
     * BuildKit's {@code parseWords}: words separated by unquoted white space, with quotes and escapes kept in the
     * word (ENV, LABEL and ARG values are expanded, and unquoted, by the builder).
     */
    static List<String> parseWords(String rest, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean blankOk = false;
        char quote = 0;
        int n = rest.length();
        for (int pos = 0; pos < n; pos++) {
            char ch = rest.charAt(pos);
            if (!inWord) {
                if (Character.isWhitespace(ch)) {
                    continue;
                }
                inWord = true;
            }
            if (quote == 0) {
                if (Character.isWhitespace(ch)) {
                    if (blankOk || !word.isEmpty()) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    blankOk = false;
                    inWord = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                }
                if (ch == escape) {
                    if (pos + 1 == n) {
                        continue;
                    }
                    word.append(ch);
                    ch = rest.charAt(++pos);
                }
                word.append(ch);
                continue;
            }
            if (ch == quote) {
                quote = 0;
            }
            if (ch == escape && quote != '\'') {
                if (pos + 1 == n) {
                    quote = 0;
                    continue;
                }
                word.append(ch);
                ch = rest.charAt(++pos);
            }
            word.append(ch);
        }
        if (inWord && (blankOk || !word.isEmpty())) {
            words.add(word.toString());
        }
        return words;
    }
}
