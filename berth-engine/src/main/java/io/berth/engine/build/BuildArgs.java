package io.berth.engine.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Build arguments as moby's {@code BuildArgs}: the request's values (a null value is unset), the meta ARGs declared
 * before the first FROM, the ARGs a stage declared (only those reach its RUN environment and expansion), and which
 * names any ARG referenced (the rest are reported as not consumed). The proxy variables are built in: they reach RUN
 * without a declaration but stay out of the cache key and history unless declared.
 */
final class BuildArgs {
    static final Set<String> BUILTIN = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
            "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    private final Map<String, String> fromOptions;
    private final Map<String, String> metaArgs = new LinkedHashMap<>();
    private final Map<String, String> allowed = new LinkedHashMap<>();
    private final Set<String> referenced;

    BuildArgs(Map<String, String> fromOptions) {
        this.fromOptions = fromOptions == null ? Map.of() : new HashMap<>(fromOptions);
        this.referenced = new HashSet<>();
    }

    private BuildArgs(BuildArgs global) {
        this.fromOptions = global.fromOptions;
        this.metaArgs.putAll(global.metaArgs);
        this.referenced = global.referenced;
    }

    /** A stage's arguments: the same options and meta ARGs, none declared yet. */
    BuildArgs forStage() { return new BuildArgs(this); }

    /** A meta ARG (before the first FROM): usable in FROM, and the default of a bare {@code ARG NAME} in a stage. */
    void addMetaArg(String key, String value) {
        metaArgs.put(key, value);
        referenced.add(key);
    }

    /** {@code ARG key[=value]} in a stage. */
    synchronized void addArg(String key, String value) {
        allowed.put(key, value);
        synchronized (referenced) {
            referenced.add(key);
        }
    }

    private String value(String key, Map<String, String> mapping) {
        String fromOption = fromOptions.get(key);
        if (fromOption != null) return fromOption;
        String declared = mapping.get(key);
        if (declared == null) return metaArgs.get(key);
        return declared;
    }

    private boolean has(String key, Map<String, String> mapping) {
        return value(key, mapping) != null && (mapping.containsKey(key) || BUILTIN.contains(key));
    }

    /** The values of the meta ARGs (what FROM may expand). */
    Map<String, String> metaValues() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : metaArgs.keySet()) {
            String v = value(k, metaArgs);
            if (v != null) out.put(k, v);
        }
        return out;
    }

    /** Every declared ARG with a value, plus the built-in proxy args the request set (moby's {@code GetAllAllowed}). */
    Map<String, String> allAllowed() {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> keys = new TreeSet<>(allowed.keySet());
        keys.addAll(BUILTIN);
        for (String k : keys) if (has(k, allowed)) out.put(k, value(k, allowed));
        return out;
    }

    /** {@code K=v} of the allowed args not overridden by {@code env} (moby's {@code FilterAllowed}). */
    List<String> filterAllowed(List<String> env) {
        Set<String> envKeys = new HashSet<>();
        for (String e : env) envKeys.add(e.contains("=") ? e.substring(0, e.indexOf('=')) : e);
        List<String> out = new ArrayList<>();
        allAllowed().forEach((k, v) -> {
            if (!envKeys.contains(k)) out.add(k + "=" + v);
        });
        return out;
    }

    /** A build arg in RUN's cache key: declared in this stage, or any that is not built in. */
    boolean referencedOrNotBuiltin(String key) { return allowed.containsKey(key) || !BUILTIN.contains(key); }

    /** The request's build args no ARG declared, sorted (the proxy args are exempt). */
    List<String> unused() {
        List<String> out = new ArrayList<>();
        synchronized (referenced) {
            for (String k : new TreeSet<>(fromOptions.keySet())) {
                if (!referenced.contains(k) && !BUILTIN.contains(k)) out.add(k);
            }
        }
        return out;
    }
}
