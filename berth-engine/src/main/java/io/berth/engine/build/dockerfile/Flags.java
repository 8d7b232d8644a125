package io.berth.engine.build.dockerfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An instruction's {@code --flags}, as BuildKit's {@code BFlags}: each instruction declares the flags it takes, then
 * {@link #parse()} checks the words with BuildKit's messages (unknown, duplicate, missing value, bad boolean). A
 * {@code --} word ends the flags.
 */
final class Flags {
    private enum Type { BOOL, STRING, STRINGS }

    private final List<String> args;
    private final Map<String, Type> declared = new LinkedHashMap<>();
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, List<String>> lists = new HashMap<>();

    Flags(List<String> args) { this.args = args; }

    Flags bool(String name) { return declare(name, Type.BOOL); }

    Flags string(String name) { return declare(name, Type.STRING); }

    Flags strings(String name) { return declare(name, Type.STRINGS); }

    private Flags declare(String name, Type type) {
        declared.put(name, type);
        return this;
    }

    void parse() {
        for (String a : args) {
            if (a.equals("--")) {
                return;
            }
            if (!a.startsWith("--")) {
                throw new ParseError("arg should start with -- : " + a);
            }
            int eq = a.indexOf('=');
            String flagName = eq < 0 ? a : a.substring(0, eq);
            String value = eq < 0 ? "" : a.substring(eq + 1);
            boolean hasValue = eq >= 0;
            String name = flagName.substring(2);
            Type type = declared.get(name);
            if (type == null) {
                throw new ParseError(Suggest.wrap("unknown flag: " + flagName, name, List.copyOf(declared.keySet()),
                        true));
            }
            if (type != Type.STRINGS && values.containsKey(name)) {
                throw new ParseError("duplicate flag specified: " + flagName);
            }
            switch (type) {
                case BOOL -> {
                    if (hasValue && value.isEmpty()) {
                        throw new ParseError("missing a value on flag: " + flagName);
                    }
                    switch (value.toLowerCase(Locale.ROOT)) {
                        case "true", "" -> values.put(name, "true");
                        case "false" -> values.put(name, "false");
                        default -> throw new ParseError("expecting boolean value for flag " + flagName + ", not: "
                                + value);
                    }
                }
                case STRING -> {
                    if (!hasValue) {
                        throw new ParseError("missing a value on flag: " + flagName);
                    }
                    values.put(name, value);
                }
                case STRINGS -> {
                    if (!hasValue) {
                        throw new ParseError("missing a value on flag: " + flagName);
                    }
                    lists.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
            }
        }
    }

    /** The string flag's value; null when not given. */
    String value(String name) { return values.get(name); }

    boolean isTrue(String name) { return "true".equals(values.get(name)); }

    boolean used(String name) { return values.containsKey(name) || lists.containsKey(name); }

    /** A repeatable flag's values in order; empty when not given. */
    List<String> values(String name) { return List.copyOf(lists.getOrDefault(name, List.of())); }
}
