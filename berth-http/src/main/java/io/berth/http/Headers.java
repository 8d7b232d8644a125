package io.berth.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** An ordered, case-insensitive multi-map of HTTP header fields. */
public final class Headers {
    private final List<String[]> fields = new ArrayList<>();

    /** Adds a field, keeping any existing ones of the same name. */
    public Headers add(String name, String value) {
        fields.add(new String[] {name, value});
        return this;
    }

    /** Replaces every field of this name by one. */
    public Headers set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    public Headers remove(String name) {
        fields.removeIf(f -> f[0].equalsIgnoreCase(name));
        return this;
    }

    /** The first value of the field, or null. */
    public String get(String name) {
        for (String[] f : fields) if (f[0].equalsIgnoreCase(name)) return f[1];
        return null;
    }

    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (String[] f : fields) if (f[0].equalsIgnoreCase(name)) out.add(f[1]);
        return Collections.unmodifiableList(out);
    }

    public boolean has(String name) { return get(name) != null; }

    /** True if a comma-separated field (Connection, Transfer-Encoding) lists {@code token}. */
    public boolean hasToken(String name, String token) {
        for (String v : all(name)) {
            for (String t : v.split(",")) if (t.trim().toLowerCase(Locale.ROOT).equals(token)) return true;
        }
        return false;
    }

    public int size() { return fields.size(); }

    /** Calls {@code action} for every field in order. */
    public void forEach(java.util.function.BiConsumer<String, String> action) {
        for (String[] f : fields) action.accept(f[0], f[1]);
    }
}
