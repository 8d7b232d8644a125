package io.berth.registry.spec;

import java.util.regex.Pattern;

/** The distribution spec's name and tag grammars: what may be a repository path (no {@code ..}, no {@code _x}). */
public final class RepositoryName {
    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern NAME = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    private RepositoryName() {}

    /** {@code name} when valid; a 400 {@code NAME_INVALID} otherwise. */
    public static String check(String name) {
        if (name == null || name.length() > 255 || !NAME.matcher(name).matches()) throw RegistryError.nameInvalid(name);
        return name;
    }

    public static boolean isTag(String s) { return s != null && TAG.matcher(s).matches(); }
}
