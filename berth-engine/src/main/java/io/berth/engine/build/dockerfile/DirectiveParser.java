package io.berth.engine.build.dockerfile;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser directives ({@code # syntax=}, {@code # escape=}, {@code # check=}) as BuildKit reads them: only in the
 * comment lines at the very top, case-insensitive names, spaces allowed around {@code =}; the first line that is not
 * a known directive (an instruction, a blank line, any other comment) ends them, and later ones are plain comments.
 */
final class DirectiveParser {
    private static final Pattern DIRECTIVE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");

    private final Map<String, String> directives = new LinkedHashMap<>();
    private boolean done;
    private char escape = '\\';

    /** Looks at one line (left-trimmed, no newline); true when it was a directive. */
    boolean accept(String line) {
        if (done) {
            return false;
        }
        if (!line.startsWith("#")) {
            done = true;
            return false;
        }
        Matcher m = DIRECTIVE.matcher(line.substring(1).stripLeading());
        if (!m.matches()) {
            done = true;
            return false;
        }
        String key = m.group(1).toLowerCase(Locale.ROOT);
        if (!key.equals("syntax") && !key.equals("escape") && !key.equals("check")) {
            done = true;
            return false;
        }
        if (directives.containsKey(key)) {
            throw new ParseError("only one " + key + " parser directive can be used");
        }
        String value = m.group(2);
        if (key.equals("escape")) {
            if (!value.equals("`") && !value.equals("\\")) {
                throw new ParseError("invalid escape token '" + value + "' does not match ` or \\");
            }
            escape = value.charAt(0);
        }
        directives.put(key, value);
        return true;
    }

    char escape() { return escape; }

    Map<String, String> directives() { return directives; }
}
