package io.berth.registry.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One access scope as Docker's token flow names it: {@code repository:team/app:pull,push}, {@code registry:catalog:*}.
 *
 * @param type    {@code repository} or {@code registry}
 * @param name    the repository path, or {@code catalog}
 * @param actions {@code pull}, {@code push}, {@code delete}, {@code *}
 */
public record Scope(String type, String name, Set<String> actions) {
    /** The three actions on a repository; {@code *} stands for all of them. */
    public static final Set<String> REPOSITORY_ACTIONS = Set.of("pull", "push", "delete");

    public Scope {
        actions = Set.copyOf(actions);
    }

    /** {@code repository:<name>:<actions>}. */
    public static Scope repository(String name, String... actions) {
        return new Scope("repository", name, Set.of(actions));
    }

    /** {@code registry:catalog:*}, what {@code GET /v2/_catalog} needs. */
    public static Scope catalog() {
        return new Scope("registry", "catalog", Set.of("*"));
    }

    /**
     * One scope in the token flow's grammar {@code type[(class)]:name:action[,action]}: the type ends at the first
     * colon, the actions start after the last one (a name may hold a colon). The class is dropped.
     */
    public static Scope parse(String text) {
        int first = text.indexOf(':'), last = text.lastIndexOf(':');
        if (first <= 0 || last == first) {
            throw new IllegalArgumentException("invalid scope: " + text);
        }
        String type = text.substring(0, first);
        int paren = type.indexOf('(');
        if (paren >= 0) type = type.substring(0, paren);
        String name = text.substring(first + 1, last);
        if (type.isEmpty() || name.isEmpty()) throw new IllegalArgumentException("invalid scope: " + text);
        Set<String> actions = new TreeSet<>();
        for (String a : text.substring(last + 1).split(",")) if (!a.isEmpty()) actions.add(a);
        return new Scope(type, name, actions);
    }

    /** Every scope of several {@code scope} values, each of which may hold several scopes separated by spaces. */
    public static List<Scope> parseAll(List<String> values) {
        List<Scope> out = new ArrayList<>();
        for (String v : values) {
            for (String s : v.trim().split(" +")) if (!s.isEmpty()) out.add(parse(s));
        }
        return out;
    }

    /** The actions with {@code *} spelled out, for a repository scope. */
    public Set<String> expandedActions() {
        if (!type.equals("repository") || !actions.contains("*")) return actions;
        Set<String> out = new TreeSet<>(actions);
        out.remove("*");
        out.addAll(REPOSITORY_ACTIONS);
        return Set.copyOf(out);
    }

    /** The same resource with other actions. */
    public Scope withActions(Set<String> other) {
        return new Scope(type, name, other);
    }

    /** As the token flow writes it: {@code repository:team/app:pull,push} (actions sorted). */
    @Override public String toString() {
        return type + ":" + name + ":" + String.join(",", new TreeSet<>(actions));
    }
}
