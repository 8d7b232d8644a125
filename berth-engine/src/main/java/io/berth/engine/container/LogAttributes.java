package io.berth.engine.container;

import io.berth.api.container.LogConfig;
import io.berth.api.errors.BerthException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The attributes Docker's json-file driver stores with every log line (moby's
 * {@code Info.ExtraAttributes}): the container's labels named by {@code labels} or matched by
 * {@code labels-regex}, and its environment variables named by {@code env} or matched by
 * {@code env-regex}. {@code docker logs --details} prints them. Other drivers store none.
 */
final class LogAttributes {
    private LogAttributes() {}

    /** The attributes, sorted by name as {@code logs --details} prints them. */
    static Map<String, String> of(LogConfig log, Map<String, String> labels, List<String> env) {
        Map<String, String> out = new TreeMap<>();
        if (log == null || log.config() == null || !storesAttributes(log.type())) return out;
        Map<String, String> opts = log.config();
        Map<String, String> lbl = labels == null ? Map.of() : labels;
        for (String name : names(opts.get("labels"))) {
            if (lbl.containsKey(name)) out.put(name, lbl.get(name));
        }
        Pattern labelsRe = regex(opts.get("labels-regex"));
        if (labelsRe != null) lbl.forEach((k, v) -> { if (labelsRe.matcher(k).find()) out.put(k, v); });
        Map<String, String> vars = new TreeMap<>();
        if (env != null) {
            for (String kv : env) {
                int eq = kv.indexOf('=');
                if (eq >= 0) vars.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        for (String name : names(opts.get("env"))) {
            if (vars.containsKey(name)) out.put(name, vars.get(name));
        }
        Pattern envRe = regex(opts.get("env-regex"));
        if (envRe != null) vars.forEach((k, v) -> { if (envRe.matcher(k).find()) out.put(k, v); });
        return out;
    }

    private static boolean storesAttributes(String driver) {
        return driver == null || driver.isEmpty() || driver.equals("json-file") || driver.equals("k8s-file");
    }

    private static List<String> names(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : List.of(csv.split(","));
    }

    private static Pattern regex(String re) {
        if (re == null || re.isEmpty()) return null;
        try {
            return Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw new BerthException.InvalidArgument("error parsing regexp: " + e.getDescription() + ": `" + re + "`");
        }
    }
}
