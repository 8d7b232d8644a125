package io.berth.engine.build;

import io.berth.api.errors.BerthException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BuildKit's {@code RUN --mount=…} values: comma-separated {@code key=value} options (a bare key is {@code true}),
 * with its aliases ({@code dst}/{@code destination} for {@code target}, {@code src} for {@code source},
 * {@code readonly} for {@code ro}).
 */
final class RunMounts {
    private RunMounts() {}

    /** The options of one {@code --mount} value, keys normalized. */
    static Map<String, String> parse(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String field : spec.split(",")) {
            String f = field.trim();
            if (f.isEmpty()) continue;
            int eq = f.indexOf('=');
            String key = (eq < 0 ? f : f.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
            String value = eq < 0 ? "true" : unquote(f.substring(eq + 1).trim());
            key = switch (key) {
                case "dst", "destination" -> "target";
                case "src" -> "source";
                case "readonly" -> "ro";
                default -> key;
            };
            out.put(key, value);
        }
        String type = out.getOrDefault("type", "bind");
        if (!Map.of("bind", 1, "cache", 1, "tmpfs", 1, "secret", 1, "ssh", 1).containsKey(type)) {
            throw new BerthException.InvalidArgument("unsupported mount type \"" + type + "\"");
        }
        out.put("type", type);
        return out;
    }

    /** One option of a {@code --mount} value, or null. */
    static String option(String spec, String key) { return parse(spec).get(key); }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
