package io.berth.api.build;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} file, read and matched as moby's {@code patternmatcher} does: one pattern per line, a UTF-8
 * BOM dropped, {@code #} comments, lines trimmed and cleaned ({@code filepath.Clean}), a leading {@code /} dropped;
 * {@code !} marks an exception. Patterns use Go's {@code filepath.Match} syntax ({@code *} and {@code ?} do not cross
 * {@code /}, {@code […]} classes, {@code \} escapes) plus {@code **} for any number of directories, zero included.
 * The last matching pattern wins, and a pattern that matches a parent directory excludes everything below it. Both
 * the clients (which filter the context before sending it) and the daemon (which drops the Dockerfile and the
 * ignore file when they are excluded) use it.
 */
public final class DockerIgnore {
    /** One pattern: its cleaned text, whether it is an exception, and its compiled form. */
    public record Rule(String pattern, boolean exclusion, Pattern regex) {}

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) { this.rules = List.copyOf(rules); }

    /** No patterns: nothing is excluded. */
    public static final DockerIgnore NONE = new DockerIgnore(List.of());

    /** Reads {@code .dockerignore} bytes; IllegalArgumentException for a bare {@code !} or a malformed pattern. */
    public static DockerIgnore parse(byte[] file) { return parse(new String(file, StandardCharsets.UTF_8)); }

    /** Reads {@code .dockerignore} text; IllegalArgumentException for a bare {@code !} or a malformed pattern. */
    public static DockerIgnore parse(String text) {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<String> patterns = new ArrayList<>();
        for (String line : text.split("\r?\n", -1)) {
            if (line.startsWith("#")) continue;
            line = line.strip();
            if (line.isEmpty()) continue;
            boolean invert = line.startsWith("!");
            if (invert) {
                line = line.substring(1).strip();
                if (line.isEmpty()) throw new IllegalArgumentException("illegal exclusion pattern: \"!\"");
            }
            line = clean(line);
            if (line.startsWith("/") && line.length() > 1) line = line.substring(1);
            patterns.add(invert ? "!" + line : line);
        }
        return of(patterns);
    }

    /** Rules from patterns as the API or a CLI flag gives them ({@code !} prefix for exceptions). */
    public static DockerIgnore of(List<String> patterns) {
        List<Rule> rules = new ArrayList<>();
        for (String p : patterns) {
            boolean exclusion = p.startsWith("!");
            String body = exclusion ? p.substring(1) : p;
            body = clean(body);
            if (body.equals(".")) body = "";
            rules.add(new Rule(body, exclusion, Pattern.compile(regex(body), Pattern.DOTALL)));
        }
        return new DockerIgnore(rules);
    }

    public List<Rule> rules() { return rules; }

    public boolean isEmpty() { return rules.isEmpty(); }

    /** Whether any rule is an exception (then a directory cannot be skipped whole: something below may come back). */
    public boolean hasExclusions() { return rules.stream().anyMatch(Rule::exclusion); }

    /**
     * Whether {@code path} (relative to the context root, {@code /}-separated) is excluded: the last rule that
     * matches the path or one of its parent directories decides.
     */
    public boolean excludes(String path) {
        path = clean(path);
        if (path.startsWith("/")) path = path.substring(1);
        List<String> parents = new ArrayList<>();
        for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) parents.add(path.substring(0, i));
        boolean matched = false;
        for (Rule r : rules) {
            if (r.exclusion() != matched) continue; // cannot change the outcome
            boolean m = r.regex().matcher(path).matches();
            if (!m) for (String parent : parents) if (r.regex().matcher(parent).matches()) { m = true; break; }
            if (m) matched = !r.exclusion();
        }
        return matched;
    }

    /** Go's {@code filepath.Clean} for {@code /}-separated paths ("" becomes "."). */
    public static String clean(String p) {
        if (p.isEmpty()) return ".";
        boolean rooted = p.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) out.removeLast();
                else if (!rooted) out.add("..");
                continue;
            }
            out.add(part);
        }
        String s = String.join("/", out);
        if (rooted) return "/" + s;
        return s.isEmpty() ? "." : s;
    }

    /** The pattern as a regular expression, as patternmatcher's {@code compile}. */
    static String regex(String pattern) {
        StringBuilder re = new StringBuilder("^");
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < n && pattern.charAt(i + 1) == '*') {
                    i++; // "**"
                    if (i + 1 < n && pattern.charAt(i + 1) == '/') i++; // "**/"
                    if (i + 1 >= n) re.append(".*"); // "**" at the end: everything
                    else re.append("(.*/)?"); // "**/x": any number of directories, zero included
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int close = pattern.indexOf(']', i + 2);
                if (close < 0) throw new IllegalArgumentException("syntax error in pattern: " + pattern);
                String cls = pattern.substring(i + 1, close);
                if (cls.startsWith("^")) cls = "!" + cls.substring(1);
                re.append('[');
                if (cls.startsWith("!")) {
                    re.append('^');
                    cls = cls.substring(1);
                }
                re.append(cls.replace("\\", "\\\\").replace("[", "\\[").replace("&&", "\\&\\&"));
                re.append(']');
                i = close;
            } else if (c == '\\') {
                if (i + 1 >= n) throw new IllegalArgumentException("syntax error in pattern: " + pattern);
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.append('$').toString();
    }
}
