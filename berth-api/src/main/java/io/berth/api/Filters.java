package io.berth.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker's {@code filters} query parameter: a JSON map from filter name to values, accepted in the
 * current form {@code {"dangling":["true"]}} and the legacy form {@code {"dangling":{"true":true}}}.
 */
public record Filters(Map<String, List<String>> values) {
    public static final Filters NONE = new Filters(Map.of());

    public Filters {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        values = Collections.unmodifiableMap(copy);
    }

    /** Parses the query parameter; null or blank is no filter. Throws IllegalArgumentException on bad JSON. */
    public static Filters parse(String json) {
        if (json == null || json.isBlank()) return NONE;
        JsonNode root;
        try {
            root = Json.plain().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid filter: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("invalid filter: expected a JSON object");
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (var it = root.properties().iterator(); it.hasNext(); ) {
            var field = it.next();
            List<String> vals = new ArrayList<>();
            JsonNode v = field.getValue();
            if (v.isArray()) v.forEach(x -> vals.add(x.asText()));
            else if (v.isObject()) v.properties().forEach(e -> { if (e.getValue().asBoolean(true)) vals.add(e.getKey()); });
            else throw new IllegalArgumentException("invalid filter '" + field.getKey() + "'");
            out.put(field.getKey(), vals);
        }
        return new Filters(out);
    }

    /** Builds a filter set from {@code key=value} pairs as the CLI's {@code --filter} gives them. */
    public static Filters ofPairs(List<String> pairs) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad format of filter (expected name=value)");
            out.computeIfAbsent(p.substring(0, eq).trim().toLowerCase(), k -> new ArrayList<>()).add(p.substring(eq + 1));
        }
        return new Filters(out);
    }

    public String toJson() {
        try {
            return Json.plain().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isEmpty() { return values.isEmpty(); }

    public boolean has(String key) { return values.containsKey(key); }

    public List<String> get(String key) { return values.getOrDefault(key, List.of()); }

    public Set<String> keys() { return values.keySet(); }

    /** Rejects filter names outside {@code allowed} with Docker's message. */
    public void requireOnly(Set<String> allowed) {
        for (String k : values.keySet()) {
            if (!allowed.contains(k)) throw new IllegalArgumentException("invalid filter '" + k + "'");
        }
    }

    /** For boolean filters such as dangling: null when absent; throws on values other than true/false/1/0. */
    public Boolean bool(String key) {
        List<String> v = get(key);
        if (v.isEmpty()) return null;
        boolean any = false, result = false;
        for (String s : v) {
            boolean b = switch (s.toLowerCase()) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw new IllegalArgumentException("invalid filter '" + key + "=" + s + "'");
            };
            if (any && b != result) throw new IllegalArgumentException("invalid filter '" + key + "': conflicting values");
            any = true;
            result = b;
        }
        return result;
    }
}
