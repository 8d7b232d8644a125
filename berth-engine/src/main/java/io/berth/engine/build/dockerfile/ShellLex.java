package io.berth.engine.build.dockerfile;

import io.berth.api.errors.BerthException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The Dockerfile's shell-word lexer, as BuildKit's {@code frontend/dockerfile/shell} lexer: quotes ({@code '…'}
 * literal, {@code "…"} with {@code $} expansion and escapes of {@code " $ \}), the escape character ({@code \} or
 * {@code `}), and the parameter forms {@code $v ${v} ${v:-w} ${v-w} ${v:+w} ${v+w} ${v:?msg} ${v?msg} ${v#p} ${v##p}
 * ${v%p} ${v%%p} ${v/p/r} ${v//p/r}}. Unset variables expand to the empty string. Used by the builder to expand
 * instruction arguments (ENV, COPY, WORKDIR…) and by the parser to find here-document words.
 */
public final class ShellLex {
    private static final int EOF = -1;

    private final char escape;
    private final boolean rawQuotes;
    private final boolean rawEscapes;
    private final boolean skipUnsetEnv;

    /** A lexer with the given escape character ({@code Dockerfile.escape()}). */
    public ShellLex(char escape) { this(escape, false, false, false); }

    /**
     * BuildKit's lexer options: {@code rawQuotes} keeps the quote characters, {@code rawEscapes} keeps the escape
     * characters, {@code skipUnsetEnv} leaves references to unset variables as written. The parser uses them to read
     * here-document words; the builder only needs {@link #ShellLex(char)}.
     */
    ShellLex(char escape, boolean rawQuotes, boolean rawEscapes, boolean skipUnsetEnv) {
        this.escape = escape;
        this.rawQuotes = rawQuotes;
        this.rawEscapes = rawEscapes;
        this.skipUnsetEnv = skipUnsetEnv;
    }

    /** The word with quotes removed and variables expanded, as one string (ENV values, WORKDIR, USER…). */
    public String processWord(String word, Map<String, String> env) {
        return new Scan(word, env, false).run().result;
    }

    /**
     * The word expanded and split into fields on unquoted white space (instructions that take lists: COPY sources,
     * EXPOSE, VOLUME, FROM). Expanded values split too; quoted text and escaped spaces do not.
     */
    public List<String> processWords(String word, Map<String, String> env) {
        return new Scan(word, env, false).run().words;
    }

    /**
     * The variable names the word refers to, in order, whether set or not (the builder's unused-build-arg warning
     * and the cache key's build args). A malformed word refers to the names read before the error.
     */
    public Set<String> referenced(String word) {
        Scan scan = new Scan(word, Map.of(), true);
        try {
            scan.run();
        } catch (BerthException.InvalidArgument e) {
            // the names seen so far are the answer: the builder reports the syntax error when it expands the word
        }
        return scan.names;
    }

    /** The result of one scan: the joined text and the fields. */
    private record Result(String result, List<String> words) {}

    /** Collects fields as {@code wordsStruct} does: unquoted white space ends a field, raw text never does. */
    private static final class Fields {
        private final StringBuilder buf = new StringBuilder();
        private final List<String> words = new ArrayList<>();
        private boolean inWord;

        void addChar(int ch) {
            if (Character.isWhitespace(ch)) {
                if (inWord && !buf.isEmpty()) {
                    words.add(buf.toString());
                    buf.setLength(0);
                    inWord = false;
                }
            } else {
                addRawChar(ch);
            }
        }

        void addRawChar(int ch) {
            buf.appendCodePoint(ch);
            inWord = true;
        }

        void addString(String s) { s.codePoints().forEach(this::addChar); }

        void addRawString(String s) {
            buf.append(s);
            inWord = true;
        }

        List<String> get() {
            if (!buf.isEmpty()) {
                words.add(buf.toString());
                buf.setLength(0);
                inWord = false;
            }
            return words;
        }
    }

    /** One pass over one word. */
    private final class Scan {
        private final String source;
        private final int[] cps;
        private final Map<String, String> env;
        private final boolean capture;
        private final Set<String> names = new LinkedHashSet<>();
        private int pos;
        private boolean raw;

        Scan(String source, Map<String, String> env, boolean capture) {
            this.source = source;
            this.cps = source.codePoints().toArray();
            this.env = env;
            this.capture = capture;
            this.raw = rawEscapes;
        }

        Result run() {
            try {
                return stopOn(EOF, rawEscapes);
            } catch (LexError e) {
                throw new BerthException.InvalidArgument("failed to process " + GoQuote.of(source) + ": "
                        + e.getMessage());
            }
        }

        private int peek() { return pos < cps.length ? cps[pos] : EOF; }

        private int next() { return pos < cps.length ? cps[pos++] : EOF; }

        private Result stopOn(int stop, boolean rawEsc) {
            boolean saved = raw;
            raw = rawEsc;
            try {
                StringBuilder result = new StringBuilder();
                Fields fields = new Fields();
                while (peek() != EOF) {
                    int ch = peek();
                    if (stop != EOF && ch == stop) {
                        next();
                        return new Result(result.toString(), fields.get());
                    }
                    String special = switch (ch) {
                        case '$' -> dollar();
                        case '<' -> possibleHeredoc();
                        case '\'' -> singleQuote();
                        case '"' -> doubleQuote();
                        default -> null;
                    };
                    if (special != null) {
                        result.append(special);
                        if (ch == '$') {
                            fields.addString(special);
                        } else {
                            fields.addRawString(special);
                        }
                        continue;
                    }
                    ch = next();
                    if (ch == escape) {
                        if (raw) {
                            fields.addRawChar(ch);
                            result.appendCodePoint(ch);
                        }
                        ch = next();
                        if (ch == EOF) {
                            break;
                        }
                        fields.addRawChar(ch);
                    } else {
                        fields.addChar(ch);
                    }
                    result.appendCodePoint(ch);
                }
                if (stop != EOF) {
                    throw new LexError("unexpected end of statement while looking for matching "
                            + Character.toString(stop));
                }
                return new Result(result.toString(), fields.get());
            } finally {
                raw = saved;
            }
        }

        private String singleQuote() {
            StringBuilder out = new StringBuilder();
            int ch = next();
            if (rawQuotes) {
                out.appendCodePoint(ch);
            }
            while (true) {
                ch = next();
                if (ch == EOF) {
                    throw new LexError("unexpected end of statement while looking for matching single-quote");
                }
                if (ch == '\'') {
                    if (rawQuotes) {
                        out.appendCodePoint(ch);
                    }
                    return out.toString();
                }
                out.appendCodePoint(ch);
            }
        }

        private String doubleQuote() {
            StringBuilder out = new StringBuilder();
            int ch = next();
            if (rawQuotes) {
                out.appendCodePoint(ch);
            }
            while (true) {
                int p = peek();
                if (p == EOF) {
                    throw new LexError("unexpected end of statement while looking for matching double-quote");
                }
                if (p == '"') {
                    next();
                    if (rawQuotes) {
                        out.append('"');
                    }
                    return out.toString();
                }
                if (p == '$') {
                    out.append(dollar());
                    continue;
                }
                ch = next();
                if (ch == escape) {
                    if (raw) {
                        out.appendCodePoint(ch);
                    }
                    int after = peek();
                    if (after == EOF) {
                        continue;
                    }
                    if (after == '"' || after == '$' || after == escape) {
                        ch = next();
                    }
                }
                out.appendCodePoint(ch);
            }
        }

        private String possibleHeredoc() {
            next();
            if (peek() != '<') {
                return "<";
            }
            next();
            StringBuilder out = new StringBuilder("<<");
            while (peek() == ' ' || peek() == '\t' || peek() == '\r') {
                out.appendCodePoint(next());
            }
            return out.toString();
        }

        private String dollar() {
            next();
            if (peek() != '{') {
                String name = name();
                if (name.isEmpty()) {
                    return "$";
                }
                String value = lookup(name);
                if (value == null && skipUnsetEnv) {
                    return "$" + name;
                }
                return value == null ? "" : value;
            }
            next();
            int p = peek();
            if (p == EOF) {
                throw new LexError("syntax error: missing '}'");
            }
            if (p == '{' || p == '}' || p == ':') {
                throw new LexError("syntax error: bad substitution");
            }
            String name = name();
            int ch = next();
            String chs = rune(ch);
            boolean nullIsUnset = false;
            switch (ch) {
                case '}' -> {
                    String value = lookup(name);
                    if (value == null && skipUnsetEnv) {
                        return "${" + name + "}";
                    }
                    return value == null ? "" : value;
                }
                case '/' -> {
                    return substitute(name);
                }
                case ':' -> {
                    nullIsUnset = true;
                    ch = next();
                    chs += rune(ch);
                    if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
                        throw new LexError("unsupported modifier (" + chs + ") in substitution");
                    }
                }
                case '+', '-', '?', '#', '%' -> { }
                default -> throw new LexError("unsupported modifier (" + chs + ") in substitution");
            }
            boolean patternMod = ch == '#' || ch == '%';
            if (nullIsUnset && patternMod) {
                throw new LexError("unsupported modifier (" + chs + ") in substitution");
            }
            String word = closing('}', patternMod, "syntax error: missing '}'");
            String value = lookup(name);
            boolean set = value != null;
            if (skipUnsetEnv && !set) {
                return "${" + name + chs + word + "}";
            }
            boolean empty = !set || (nullIsUnset && value.isEmpty());
            return switch (ch) {
                case '-' -> empty ? word : value;
                case '+' -> empty ? "" : word;
                case '?' -> {
                    if (capture) {
                        yield "";
                    }
                    if (!set) {
                        throw new LexError(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                    }
                    if (nullIsUnset && value.isEmpty()) {
                        throw new LexError(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
                    }
                    yield value;
                }
                default -> {
                    boolean greedy = !word.isEmpty() && word.codePointAt(0) == ch;
                    String pattern = greedy ? word.substring(1) : word;
                    yield ch == '%' ? ShellPattern.trimSuffix(pattern, value == null ? "" : value, greedy)
                            : ShellPattern.trimPrefix(pattern, value == null ? "" : value, greedy);
                }
            };
        }

        /** The character as Go's {@code string(rune)} prints it: U+FFFD for the end of the word. */
        private static String rune(int ch) { return ch == EOF ? "\uFFFD" : Character.toString(ch); }

        private String substitute(String name) {
            boolean all = peek() == '/';
            if (all) {
                next();
            }
            String pattern = closing('/', true, "syntax error: missing '/' in ${}");
            String replacement = closing('}', true, "syntax error: missing '}'");
            String value = lookup(name);
            if (value == null && skipUnsetEnv) {
                return "${" + name + "/" + pattern + "/" + replacement + "}";
            }
            return ShellPattern.replace(pattern, replacement, value == null ? "" : value, all);
        }

        /** The text up to {@code stop}, processed; {@code missing} when the word ends first. */
        private String closing(int stop, boolean rawEsc, String missing) {
            try {
                return stopOn(stop, rawEsc).result;
            } catch (LexError e) {
                if (peek() == EOF) {
                    throw new LexError(missing);
                }
                throw e;
            }
        }

        private String name() {
            StringBuilder name = new StringBuilder();
            while (peek() != EOF) {
                int ch = peek();
                if (name.isEmpty() && Character.isDigit(ch)) {
                    while (peek() != EOF && Character.isDigit(peek())) {
                        name.appendCodePoint(next());
                    }
                    return name.toString();
                }
                if (name.isEmpty() && "@*#?-$!0".indexOf(ch) >= 0) {
                    return Character.toString(next());
                }
                if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
                    break;
                }
                name.appendCodePoint(next());
            }
            return name.toString();
        }

        private String lookup(String name) {
            if (capture) {
                names.add(name);
            }
            return env.get(name);
        }
    }

    /** A lexing error; {@link Scan#run()} turns it into Docker's "failed to process" message. */
    static final class LexError extends RuntimeException {
        LexError(String message) { super(message, null, false, false); }
    }

    /**
     * Shell wildcard patterns of {@code ${v#p}}, {@code ${v%p}} and {@code ${v/p/r}} ({@code ?} one character,
     * {@code *} any run, {@code \} escapes; no bracket expressions), as BuildKit converts them to regular expressions.
     */
    static final class ShellPattern {
        private ShellPattern() {}

        static Pattern compile(String pattern, boolean greedy, boolean anchored) {
            StringBuilder out = new StringBuilder(anchored ? "^" : "");
            int[] cps = pattern.codePoints().toArray();
            for (int i = 0; i < cps.length; i++) {
                int tok = cps[i];
                switch (tok) {
                    case '*' -> out.append(greedy ? ".*" : ".*?");
                    case '?' -> out.append('.');
                    case '\\' -> {
                        int peek = i + 1 < cps.length ? cps[i + 1] : EOF;
                        if (peek == '}' || peek == '/') {
                            continue;
                        }
                        i++;
                        if (peek != '*' && peek != '?' && peek != '\\') {
                            throw new LexError("invalid pattern (" + pattern + ") in substitution: invalid escape '\\"
                                    + (peek == EOF ? "" : Character.toString(peek)) + "'");
                        }
                        out.append('\\').appendCodePoint(peek);
                    }
                    default -> {
                        if ("[]{}.+()|^$".indexOf(tok) >= 0) {
                            out.append('\\');
                        }
                        out.appendCodePoint(tok);
                    }
                }
            }
            try {
                return Pattern.compile(out.toString());
            } catch (PatternSyntaxException e) {
                throw new LexError("invalid pattern (" + pattern + ") in substitution: " + e.getDescription());
            }
        }

        static String trimPrefix(String pattern, String value, boolean greedy) {
            Matcher m = compile(pattern, greedy, true).matcher(value);
            return m.find() ? value.substring(m.end()) : value;
        }

        /** Shortest/longest suffix: both reversed, so that it becomes a leftmost prefix match. */
        static String trimSuffix(String pattern, String value, boolean greedy) {
            String reversed = trimPrefix(reversePattern(pattern), reverse(value), greedy);
            return reverse(reversed);
        }

        static String replace(String pattern, String replacement, String value, boolean all) {
            Matcher m = compile(pattern, true, false).matcher(value);
            String quoted = Matcher.quoteReplacement(replacement);
            return all ? m.replaceAll(quoted) : m.replaceFirst(quoted);
        }

        /** Reverses a pattern keeping each escape before the character it escapes ({@code a\*c} → {@code c\*a}). */
        static String reversePattern(String pattern) {
            int[] in = pattern.codePoints().toArray();
            int[] out = new int[in.length];
            int last = in.length - 1;
            for (int i = 0; i <= last; ) {
                int o = last - i;
                if (in[i] == '\\' && i != last) {
                    out[o - 1] = in[i];
                    out[o] = in[i + 1];
                    i += 2;
                } else {
                    out[o] = in[i];
                    i++;
                }
            }
            return new String(out, 0, out.length);
        }

        private static String reverse(String s) {
            int[] cps = s.codePoints().toArray();
            int[] out = new int[cps.length];
            for (int i = 0; i < cps.length; i++) {
                out[cps.length - 1 - i] = cps[i];
            }
            return new String(out, 0, out.length);
        }
    }
}
