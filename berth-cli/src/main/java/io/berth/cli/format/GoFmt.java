package io.berth.cli.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints values the way Go's fmt {@code %v} does: slices {@code [a b]}, maps {@code map[k:v]}, nil {@code <nil>}. */
public final class GoFmt {
    /** The value of a missing map key: Go prints {@code <no value>}. */
    public static final Object NO_VALUE = new Object() {
        @Override public String toString() { return "<no value>"; }
    };

    /** The mapper of {@link #json}, made on first use: building it costs more than a short command's whole work. */
    private static final class Mapper {
        static final ObjectMapper JSON = JsonMapper.builder().build();
    }

    private GoFmt() {}

    public static String sprint(Object v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("<nil>");
            case String s -> sb.append(s);
            case Double d -> sb.append(formatFloat(d));
            case Float f -> sb.append(formatFloat(f.doubleValue()));
            case BigDecimal b -> sb.append(formatFloat(b.doubleValue()));
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) sb.append(' ');
                    append(sb, l.get(i));
                }
                sb.append(']');
            }
            case Map<?, ?> m -> {
                sb.append("map[");
                boolean first = true;
                for (var e : new TreeMap<>(m).entrySet()) {
                    if (!first) sb.append(' ');
                    first = false;
                    append(sb, e.getKey());
                    sb.append(':');
                    append(sb, e.getValue());
                }
                sb.append(']');
            }
            case TemplateObject o -> append(sb, o.toJson());
            default -> sb.append(v);
        }
    }

    /** Go's %v for float64: %g with the shortest representation, exponent when < -4 or >= 21. */
    static String formatFloat(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e21) return Long.toString((long) d);
        BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exp = b.precision() - b.scale() - 1;
        if (exp < -4 || exp >= 21) {
            String digits = b.unscaledValue().abs().toString();
            String mant = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            return (d < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return b.toPlainString();
    }

    /** Go's json.Encoder with SetEscapeHTML(false), trailing newline trimmed. */
    public static String json(Object v) {
        Object x = v instanceof TemplateObject o ? o.toJson() : v;
        if (x == NO_VALUE) x = null;
        try {
            return Mapper.JSON.writeValueAsString(x);
        } catch (JsonProcessingException e) {
            throw new TemplateException("json: " + e.getOriginalMessage());
        }
    }

    public static boolean truthy(Object v) {
        return switch (v) {
            case null -> false;
            case Boolean b -> b;
            case String s -> !s.isEmpty();
            case Number n -> n.doubleValue() != 0;
            case List<?> l -> !l.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> v != NO_VALUE;
        };
    }
}
