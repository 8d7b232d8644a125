package io.berth.cli.format;

import java.util.List;

/** Go's fmt.Sprintf for the verbs templates use: %s %v %d %q %t %x %f and %%, with flags and width. */
final class Printf {
    private Printf() {}

    static String format(String f, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int ai = 0;
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c != '%') { out.append(c); continue; }
            int j = i + 1;
            while (j < f.length() && "-+# 0.123456789".indexOf(f.charAt(j)) >= 0) j++;
            if (j >= f.length()) { out.append("%!(NOVERB)"); break; }
            String flags = f.substring(i + 1, j);
            char verb = f.charAt(j);
            i = j;
            if (verb == '%') { out.append('%'); continue; }
            if (ai >= args.size()) { out.append("%!").append(verb).append("(MISSING)"); continue; }
            Object a = args.get(ai++);
            String spec = "%" + flags;
            switch (verb) {
                case 'd' -> out.append(a instanceof Number n ? String.format(spec + "d", n.longValue()) : "%!d(" + Template.goType(a) + "=" + GoFmt.sprint(a) + ")");
                case 'f', 'e', 'g' -> out.append(a instanceof Number n ? String.format(spec + verb, n.doubleValue()) : "%!" + verb + "(" + Template.goType(a) + "=" + GoFmt.sprint(a) + ")");
                case 'x' -> out.append(a instanceof Number n ? String.format(spec + "x", n.longValue()) : hex(GoFmt.sprint(a)));
                case 'q' -> out.append(String.format(spec.replace("#", "") + "s", GoFmt.json(GoFmt.sprint(a))));
                case 't', 's', 'v' -> out.append(String.format(spec.replace("#", "").replace("+", "") + "s", GoFmt.sprint(a)));
                default -> out.append("%!").append(verb).append("(").append(Template.goType(a)).append("=").append(GoFmt.sprint(a)).append(")");
            }
        }
        if (ai < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = ai; k < args.size(); k++) {
                if (k > ai) out.append(", ");
                out.append(Template.goType(args.get(k))).append('=').append(GoFmt.sprint(args.get(k)));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String hex(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) sb.append(String.format("%02x", b));
        return sb.toString();
    }
}
