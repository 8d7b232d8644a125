package io.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * The Dockerfile's lines as BuildKit's parser reads them: parser directives at the top, comments and blank lines
 * skipped, continuation lines (ending with the escape character) joined — comment and empty lines inside a
 * continuation are dropped, the other continuation lines keep their leading white space — and here-document bodies
 * read raw on request. Line numbers are 1-based.
 */
final class LogicalLines {
    /** One logical line: the joined text and the physical lines it spans. */
    record Line(String text, int startLine, int endLine) {}

    private final List<String> raw = new ArrayList<>();
    private final DirectiveParser directives = new DirectiveParser();
    private int next;

    LogicalLines(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int from = 0;
        while (from < body.length()) {
            int nl = body.indexOf('\n', from);
            int end = nl < 0 ? body.length() : nl + 1;
            raw.add(body.substring(from, end));
            from = end;
        }
    }

    DirectiveParser directives() { return directives; }

    /** The number of physical lines read so far (the current line number). */
    int lineNumber() { return next; }

    /** The next logical line, or null at the end. */
    Line next() {
        while (next < raw.size()) {
            String first = process(raw.get(next), true);
            next++;
            int start = next;
            String text = first;
            boolean continues = continues(text);
            if (!continues && text.isEmpty()) {
                continue;
            }
            StringBuilder buf = new StringBuilder();
            buf.append(continues ? stripContinuation(text) : text);
            while (continues && next < raw.size()) {
                String line = raw.get(next);
                String processed = process(line, false);
                next++;
                if (isComment(line) || processed.isBlank()) {
                    continue;
                }
                continues = continues(processed);
                buf.append(continues ? stripContinuation(processed) : processed);
            }
            return new Line(buf.toString(), start, next);
        }
        return null;
    }

    /**
     * Reads a here-document body up to its terminator line (after leading tabs with {@code chomp}); the body keeps
     * its line endings. Null when the file ends first.
     */
    String heredocBody(String terminator, boolean chomp) {
        StringBuilder content = new StringBuilder();
        while (next < raw.size()) {
            String line = raw.get(next++);
            String candidate = trimNewline(line);
            if (chomp) {
                candidate = candidate.replaceFirst("^\t+", "");
            }
            if (candidate.equals(terminator)) {
                return content.toString();
            }
            content.append(line);
        }
        return null;
    }

    private String process(String line, boolean stripLeft) {
        String token = trimNewline(line);
        if (stripLeft) {
            token = token.stripLeading();
        }
        directives.accept(token);
        return isComment(token) ? "" : token;
    }

    private static String trimNewline(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }

    private static boolean isComment(String line) {
        return line.stripLeading().startsWith("#");
    }

    /**
     * True when the line ends with the escape character (then spaces or tabs) that is not itself escaped: BuildKit's
     * {@code ([^\\])\\[ \t]*$|^\\[ \t]*$}.
     */
    private boolean continues(String line) {
        int end = endOfText(line);
        char esc = directives.escape();
        if (end == 0 || line.charAt(end - 1) != esc) {
            return false;
        }
        return end == 1 || line.charAt(end - 2) != esc;
    }

    private String stripContinuation(String line) {
        return line.substring(0, endOfText(line) - 1);
    }

    private static int endOfText(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return end;
    }
}
