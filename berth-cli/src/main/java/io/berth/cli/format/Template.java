package io.berth.cli.format;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subset of Go's text/template with docker's functions: fields ({@code .A.B}), variables
 * ({@code $}, {@code $x := …}), pipelines, {@code if/else if/else/end}, {@code range}, {@code with},
 * and the functions json, join, split, index, len, upper, lower, title, pad, truncate, print,
 * printf, println, eq, ne, lt, le, gt, ge, and, or, not.
 */
public final class Template {
    private final List<Node> nodes;
    private final String source;

    private Template(String source, List<Node> nodes) {
        this.source = source;
        this.nodes = nodes;
    }

    public String source() { return source; }

    // ---------------------------------------------------------------- tree

    private sealed interface Node permits Text, Action, If, Range, With {}

    private record Text(String text) implements Node {}

    private record Action(Pipe pipe) implements Node {}

    private record If(Pipe cond, List<Node> then, List<Node> otherwise) implements Node {}

    private record Range(Pipe pipe, List<Node> body, List<Node> otherwise) implements Node {}

    private record With(Pipe pipe, List<Node> body, List<Node> otherwise) implements Node {}

    private record Pipe(List<String> decl, List<Cmd> cmds) {}

    private record Cmd(List<Arg> args) {}

    private sealed interface Arg permits Field, Lit, Ident, Var, Sub {}

    /** {@code .A.B} on dot, or on the result of {@code receiver}. */
    private record Field(List<String> names) implements Arg {}

    private record Lit(Object value) implements Arg {}

    private record Ident(String name) implements Arg {}

    private record Var(String name, List<String> fields) implements Arg {}

    private record Sub(Pipe pipe, List<String> fields) implements Arg {}

    // ---------------------------------------------------------------- parsing

    public static Template parse(String text) {
        List<Object> items = lex(text); // String (text) or List<String> (action tokens)
        Parser p = new Parser(items);
        List<Node> nodes = p.list(true);
        return new Template(text, nodes);
    }

    private static List<Object> lex(String s) {
        List<Object> items = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int open = s.indexOf("{{", i);
            if (open < 0) {
                items.add(s.substring(i));
                break;
            }
            String text = s.substring(i, open);
            int start = open + 2;
            if (start + 1 < s.length() + 1 && s.startsWith("- ", start) || s.startsWith("-\t", start) || s.startsWith("-\n", start)) {
                text = text.stripTrailing();
                start += 1;
            }
            if (!text.isEmpty()) items.add(text);
            List<String> toks = new ArrayList<>();
            int j = start;
            boolean trimRight = false;
            while (true) {
                if (j >= s.length()) throw new TemplateException("template: :1: unclosed action");
                char c = s.charAt(j);
                if (s.startsWith("}}", j)) { j += 2; break; }
                if (c == '-' && s.startsWith("}}", j + 1) && j > start && Character.isWhitespace(s.charAt(j - 1))) {
                    trimRight = true;
                    j += 3;
                    break;
                }
                if (Character.isWhitespace(c) || c == ',') { j++; continue; }
                if (c == '"') {
                    StringBuilder sb = new StringBuilder("\"");
                    j++;
                    while (j < s.length() && s.charAt(j) != '"') {
                        char d = s.charAt(j);
                        if (d == '\\' && j + 1 < s.length()) {
                            char e = s.charAt(++j);
                            sb.append(switch (e) { case 'n' -> '\n'; case 't' -> '\t'; case 'r' -> '\r'; case '0' -> '\0'; default -> e; });
                        } else sb.append(d);
                        j++;
                    }
                    if (j >= s.length()) throw new TemplateException("template: :1: unterminated quoted string");
                    j++;
                    toks.add(sb.toString());
                    continue;
                }
                if (c == '`') {
                    int end = s.indexOf('`', j + 1);
                    if (end < 0) throw new TemplateException("template: :1: unterminated raw quoted string");
                    toks.add("\"" + s.substring(j + 1, end));
                    j = end + 1;
                    continue;
                }
                if (c == '(' || c == ')' || c == '|') { toks.add(String.valueOf(c)); j++; continue; }
                if (s.startsWith(":=", j)) { toks.add(":="); j += 2; continue; }
                if (c == '=') { toks.add("="); j++; continue; }
                int k = j;
                while (k < s.length() && !Character.isWhitespace(s.charAt(k)) && "()|,\"`".indexOf(s.charAt(k)) < 0
                        && !s.startsWith("}}", k) && !s.startsWith(":=", k)) k++;
                toks.add(s.substring(j, k));
                j = k;
            }
            items.add(toks);
            i = j;
            if (trimRight) while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
        return items;
    }

    private static final class Parser {
        private final List<Object> items;
        private int pos;
        private String stoppedAt; // "end" or "else" (with the rest of the else tokens)
        private List<String> elseTokens;

        Parser(List<Object> items) { this.items = items; }

        @SuppressWarnings("unchecked")
        List<Node> list(boolean top) {
            List<Node> out = new ArrayList<>();
            while (pos < items.size()) {
                Object it = items.get(pos++);
                if (it instanceof String t) { out.add(new Text(t)); continue; }
                List<String> toks = (List<String>) it;
                if (toks.isEmpty()) throw new TemplateException("template: :1: missing value for command");
                String kw = toks.getFirst();
                switch (kw) {
                    case "end" -> {
                        if (top) throw new TemplateException("template: :1: unexpected {{end}}");
                        stoppedAt = "end";
                        return out;
                    }
                    case "else" -> {
                        if (top) throw new TemplateException("template: :1: unexpected {{else}}");
                        stoppedAt = "else";
                        elseTokens = toks.subList(1, toks.size());
                        return out;
                    }
                    case "if" -> out.add(ifNode(toks.subList(1, toks.size())));
                    case "range", "with" -> {
                        Pipe p = pipe(toks.subList(1, toks.size()));
                        List<Node> body = list(false);
                        List<Node> other = List.of();
                        if ("else".equals(stoppedAt)) {
                            other = list(false);
                        }
                        requireEnd();
                        out.add(kw.equals("range") ? new Range(p, body, other) : new With(p, body, other));
                    }
                    case "define", "template", "block" -> throw new TemplateException("template: :1: {{" + kw + "}} is not supported");
                    default -> out.add(new Action(pipe(toks)));
                }
            }
            if (!top) throw new TemplateException("template: :1: unexpected EOF");
            return out;
        }

        private If ifNode(List<String> condToks) {
            Pipe cond = pipe(condToks);
            List<Node> then = list(false);
            List<Node> other = List.of();
            if ("else".equals(stoppedAt)) {
                List<String> et = elseTokens;
                if (!et.isEmpty() && et.getFirst().equals("if")) {
                    other = List.of(ifNode(et.subList(1, et.size())));
                    return new If(cond, then, other); // the nested if consumed the {{end}}
                }
                other = list(false);
            }
            requireEnd();
            return new If(cond, then, other);
        }

        private void requireEnd() {
            if (!"end".equals(stoppedAt)) throw new TemplateException("template: :1: expected end; found else");
            stoppedAt = null;
        }

        Pipe pipe(List<String> toks) {
            List<String> decl = new ArrayList<>();
            int i = 0;
            int assign = toks.indexOf(":=");
            if (assign < 0) assign = toks.indexOf("=");
            if (assign > 0 && toks.subList(0, assign).stream().allMatch(t -> t.startsWith("$"))) {
                decl.addAll(toks.subList(0, assign));
                i = assign + 1;
            }
            Deque<String> q = new ArrayDeque<>(toks.subList(i, toks.size()));
            Pipe p = new Pipe(decl, cmds(q, false));
            if (!q.isEmpty()) throw new TemplateException("template: :1: unexpected \"" + q.peek() + "\" in command");
            return p;
        }

        private List<Cmd> cmds(Deque<String> q, boolean inParen) {
            List<Cmd> cmds = new ArrayList<>();
            List<Arg> args = new ArrayList<>();
            while (!q.isEmpty()) {
                String t = q.peek();
                if (t.equals(")")) {
                    if (!inParen) throw new TemplateException("template: :1: unexpected right paren");
                    break;
                }
                q.pop();
                if (t.equals("|")) {
                    if (args.isEmpty()) throw new TemplateException("template: :1: missing value for command");
                    cmds.add(new Cmd(args));
                    args = new ArrayList<>();
                    continue;
                }
                args.add(arg(t, q));
            }
            if (args.isEmpty()) throw new TemplateException("template: :1: missing value for command");
            cmds.add(new Cmd(args));
            return cmds;
        }

        private Arg arg(String t, Deque<String> q) {
            if (t.equals("(")) {
                Pipe p = new Pipe(List.of(), cmds(q, true));
                if (q.isEmpty() || !q.pop().equals(")")) throw new TemplateException("template: :1: unclosed left paren");
                List<String> fields = List.of();
                if (!q.isEmpty() && q.peek().startsWith(".") && q.peek().length() > 1) fields = splitFields(q.pop());
                return new Sub(p, fields);
            }
            if (t.startsWith("\"")) return new Lit(t.substring(1));
            if (t.equals(".")) return new Field(List.of());
            if (t.startsWith(".")) return new Field(splitFields(t));
            if (t.startsWith("$")) {
                int dot = t.indexOf('.');
                return dot < 0 ? new Var(t, List.of()) : new Var(t.substring(0, dot), splitFields(t.substring(dot)));
            }
            if (t.equals("true") || t.equals("false")) return new Lit(Boolean.parseBoolean(t));
            if (t.equals("nil")) return new Lit(null);
            char c = t.charAt(0);
            if (Character.isDigit(c) || c == '-' || c == '+') {
                try {
                    return new Lit(t.contains(".") || t.contains("e") ? (Object) Double.parseDouble(t) : (Object) Long.decode(t));
                } catch (NumberFormatException e) {
                    throw new TemplateException("template: :1: bad number syntax: \"" + t + "\"");
                }
            }
            if (!FUNCS.contains(t)) throw new TemplateException("template: :1: function \"" + t + "\" not defined");
            return new Ident(t);
        }

        private static List<String> splitFields(String t) {
            return Arrays.stream(t.substring(1).split("\\.")).toList();
        }
    }

    private static final List<String> FUNCS = List.of("json", "join", "split", "index", "len", "upper", "lower", "title",
            "pad", "truncate", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "slice");

    // ---------------------------------------------------------------- execution

    /** Executes the template on {@code data}. */
    public String execute(Object data) { return execute(data, false); }

    /**
     * Executes the template; in header mode the string functions return their argument unchanged,
     * as docker's {@code HeaderFunctions} do when rendering a table header.
     */
    public String execute(Object data, boolean headerMode) {
        StringBuilder out = new StringBuilder();
        Exec ex = new Exec(headerMode);
        ex.vars.put("$", data);
        ex.run(nodes, data, out);
        return out.toString();
    }

    private static final class Exec {
        final boolean header;
        final Map<String, Object> vars = new HashMap<>();

        Exec(boolean header) { this.header = header; }

        void run(List<Node> nodes, Object dot, StringBuilder out) {
            for (Node n : nodes) {
                switch (n) {
                    case Text t -> out.append(t.text());
                    case Action a -> {
                        Object v = pipe(a.pipe(), dot);
                        if (a.pipe().decl().isEmpty()) out.append(GoFmt.sprint(v));
                    }
                    case If i -> run(GoFmt.truthy(pipe(i.cond(), dot)) ? i.then() : i.otherwise(), dot, out);
                    case With w -> {
                        Object v = pipe(w.pipe(), dot);
                        if (GoFmt.truthy(v)) run(w.body(), v, out);
                        else run(w.otherwise(), dot, out);
                    }
                    case Range r -> range(r, dot, out);
                }
            }
        }

        private void range(Range r, Object dot, StringBuilder out) {
            Pipe p = new Pipe(List.of(), r.pipe().cmds());
            Object v = pipe(p, dot);
            List<String> decl = r.pipe().decl();
            List<Map.Entry<Object, Object>> entries = new ArrayList<>();
            switch (v) {
                case null -> { }
                case List<?> l -> { for (int i = 0; i < l.size(); i++) entries.add(Map.entry((Object) (long) i, l.get(i) == null ? NULL : l.get(i))); }
                case Map<?, ?> m -> new TreeMap<Object, Object>(m).forEach((k, x) -> entries.add(Map.entry(k, x == null ? NULL : x)));
                case Number n -> { for (long i = 0; i < n.longValue(); i++) entries.add(Map.entry(i, i)); }
                default -> { if (v != GoFmt.NO_VALUE) throw new TemplateException("template: :1: range can't iterate over " + GoFmt.sprint(v)); }
            }
            if (entries.isEmpty()) {
                run(r.otherwise(), dot, out);
                return;
            }
            for (var e : entries) {
                Object val = e.getValue() == NULL ? null : e.getValue();
                if (decl.size() == 1) vars.put(decl.get(0), val);
                else if (decl.size() == 2) {
                    vars.put(decl.get(0), e.getKey());
                    vars.put(decl.get(1), val);
                }
                run(r.body(), val, out);
            }
        }

        private static final Object NULL = new Object();

        Object pipe(Pipe p, Object dot) {
            Object v = null;
            boolean hasPrev = false;
            for (Cmd c : p.cmds()) {
                v = cmd(c, dot, hasPrev, v);
                hasPrev = true;
            }
            for (String d : p.decl()) vars.put(d, v);
            return v;
        }

        private Object cmd(Cmd c, Object dot, boolean hasPrev, Object prev) {
            Arg first = c.args().getFirst();
            if (first instanceof Ident id) {
                List<Object> args = new ArrayList<>();
                for (Arg a : c.args().subList(1, c.args().size())) args.add(eval(a, dot));
                if (hasPrev) args.add(prev);
                return call(id.name(), args);
            }
            if (c.args().size() > 1 || hasPrev) throw new TemplateException("template: :1: can't give argument to non-function " + describe(first));
            return eval(first, dot);
        }

        private static String describe(Arg a) {
            return switch (a) {
                case Field f -> "." + String.join(".", f.names());
                case Var v -> v.name();
                default -> a.toString();
            };
        }

        private Object eval(Arg a, Object dot) {
            return switch (a) {
                case Lit l -> l.value();
                case Field f -> fields(dot, f.names());
                case Var v -> {
                    if (!vars.containsKey(v.name())) throw new TemplateException("template: :1: undefined variable \"" + v.name() + "\"");
                    yield fields(vars.get(v.name()), v.fields());
                }
                case Sub s -> fields(pipe(s.pipe(), dot), s.fields());
                case Ident i -> call(i.name(), List.of());
            };
        }

        private static Object fields(Object v, List<String> names) {
            Object cur = v;
            for (String n : names) {
                cur = switch (cur) {
                    case TemplateObject o -> o.field(n);
                    case Map<?, ?> m -> m.containsKey(n) ? m.get(n) : GoFmt.NO_VALUE;
                    case null -> throw new TemplateException("template: :1: nil pointer evaluating interface {}." + n);
                    default -> {
                        if (cur == GoFmt.NO_VALUE) yield GoFmt.NO_VALUE;
                        throw new TemplateException("template: :1: can't evaluate field " + n + " in type " + goType(cur));
                    }
                };
            }
            return cur;
        }

        private Object call(String name, List<Object> a) {
            if (header) {
                switch (name) {
                    case "json", "split", "join", "title", "lower", "upper", "pad", "truncate" -> {
                        return a.isEmpty() ? "" : a.getFirst();
                    }
                    default -> { }
                }
            }
            return switch (name) {
                case "json" -> GoFmt.json(arg(a, 0, name));
                case "join" -> {
                    Object l = arg(a, 0, name);
                    List<String> parts = new ArrayList<>();
                    if (l instanceof Collection<?> c) c.forEach(x -> parts.add(GoFmt.sprint(x)));
                    else if (l != null && l != GoFmt.NO_VALUE) throw new TemplateException("template: :1: wrong type for value; expected []string; got " + goType(l));
                    yield String.join(str(arg(a, 1, name)), parts);
                }
                case "split" -> List.of(str(arg(a, 0, name)).split(java.util.regex.Pattern.quote(str(arg(a, 1, name))), -1));
                case "upper" -> str(arg(a, 0, name)).toUpperCase(Locale.ROOT);
                case "lower" -> str(arg(a, 0, name)).toLowerCase(Locale.ROOT);
                case "title" -> title(str(arg(a, 0, name)));
                case "pad" -> " ".repeat((int) num(arg(a, 1, name))) + str(arg(a, 0, name)) + " ".repeat((int) num(arg(a, 2, name)));
                case "truncate" -> {
                    String s = str(arg(a, 0, name));
                    int n = (int) num(arg(a, 1, name));
                    yield s.codePointCount(0, s.length()) > n ? s.substring(0, s.offsetByCodePoints(0, n)) : s;
                }
                case "print" -> sprint(a);
                case "println" -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < a.size(); i++) {
                        if (i > 0) sb.append(' ');
                        sb.append(GoFmt.sprint(a.get(i)));
                    }
                    yield sb.append('\n').toString();
                }
                case "printf" -> Printf.format(str(arg(a, 0, name)), a.subList(1, a.size()));
                case "len" -> {
                    Object v = arg(a, 0, name);
                    yield (long) switch (v) {
                        case String s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                        case Collection<?> c -> c.size();
                        case Map<?, ?> m -> m.size();
                        default -> throw new TemplateException("template: :1: error calling len: len of type " + goType(v));
                    };
                }
                case "index" -> {
                    Object v = arg(a, 0, name);
                    for (Object k : a.subList(1, a.size())) {
                        v = switch (v) {
                            case Map<?, ?> m -> m.containsKey(str(k)) ? m.get(str(k)) : GoFmt.NO_VALUE;
                            case List<?> l -> {
                                int i = (int) num(k);
                                if (i < 0 || i >= l.size()) throw new TemplateException("template: :1: error calling index: index out of range: " + i);
                                yield l.get(i);
                            }
                            case TemplateObject o -> o.field(str(k));
                            case null -> throw new TemplateException("template: :1: error calling index: index of untyped nil");
                            default -> throw new TemplateException("template: :1: error calling index: can't index item of type " + goType(v));
                        };
                    }
                    yield v;
                }
                case "slice" -> {
                    Object v = arg(a, 0, name);
                    int from = a.size() > 1 ? (int) num(a.get(1)) : 0;
                    if (v instanceof String s) yield s.substring(from, a.size() > 2 ? (int) num(a.get(2)) : s.length());
                    if (v instanceof List<?> l) yield l.subList(from, a.size() > 2 ? (int) num(a.get(2)) : l.size());
                    throw new TemplateException("template: :1: error calling slice: can't slice item of type " + goType(v));
                }
                case "not" -> !GoFmt.truthy(arg(a, 0, name));
                case "and" -> {
                    Object last = null;
                    for (Object x : a) { last = x; if (!GoFmt.truthy(x)) break; }
                    yield last;
                }
                case "or" -> {
                    Object last = null;
                    for (Object x : a) { last = x; if (GoFmt.truthy(x)) break; }
                    yield last;
                }
                case "eq" -> {
                    Object x = arg(a, 0, name);
                    boolean any = false;
                    for (Object y : a.subList(1, a.size())) any |= compare(x, y) == 0;
                    yield any;
                }
                case "ne" -> compare(arg(a, 0, name), arg(a, 1, name)) != 0;
                case "lt" -> compare(arg(a, 0, name), arg(a, 1, name)) < 0;
                case "le" -> compare(arg(a, 0, name), arg(a, 1, name)) <= 0;
                case "gt" -> compare(arg(a, 0, name), arg(a, 1, name)) > 0;
                case "ge" -> compare(arg(a, 0, name), arg(a, 1, name)) >= 0;
                default -> throw new TemplateException("template: :1: function \"" + name + "\" not defined");
            };
        }

        private static Object arg(List<Object> a, int i, String fn) {
            if (i >= a.size()) throw new TemplateException("template: :1: wrong number of args for " + fn + ": want " + (i + 1) + " got " + a.size());
            return a.get(i);
        }

        private static int compare(Object x, Object y) {
            if (x instanceof Number a && y instanceof Number b) return Double.compare(a.doubleValue(), b.doubleValue());
            if (x instanceof String a && y instanceof String b) return a.compareTo(b);
            if (x instanceof Boolean a && y instanceof Boolean b) return a.equals(b) ? 0 : 1;
            if (x == null && y == null) return 0;
            throw new TemplateException("template: :1: error calling eq: incompatible types for comparison");
        }

        private static String sprint(List<Object> a) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < a.size(); i++) {
                if (i > 0 && !(a.get(i) instanceof String) && !(a.get(i - 1) instanceof String)) sb.append(' ');
                sb.append(GoFmt.sprint(a.get(i)));
            }
            return sb.toString();
        }
    }

    static String str(Object v) {
        if (v instanceof String s) return s;
        if (v == null || v == GoFmt.NO_VALUE) return "";
        return GoFmt.sprint(v);
    }

    static long num(Object v) {
        if (v instanceof Number n) return n.longValue();
        throw new TemplateException("template: :1: expected integer; found " + GoFmt.sprint(v));
    }

    static String goType(Object v) {
        return switch (v) {
            case null -> "<nil>";
            case String s -> "string";
            case Long l -> "int";
            case Double d -> "float64";
            case Boolean b -> "bool";
            case List<?> l -> "[]interface {}";
            case Map<?, ?> m -> "map[string]interface {}";
            case TemplateObject o -> o.typeName();
            default -> v.getClass().getSimpleName();
        };
    }

    /** Go's strings.Title: upper-cases the first letter of each word. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevLetter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(prevLetter ? c : Character.toTitleCase(c));
            prevLetter = Character.isLetterOrDigit(c) || c == '_' || c == '\'';
        }
        return sb.toString();
    }
}
