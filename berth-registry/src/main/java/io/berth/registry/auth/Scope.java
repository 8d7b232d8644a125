package io.berth.registry.auth;

import java.util.Set;

/**
 * One access scope as Docker's token flow names it: {@code repository:team/app:pull,push}, {@code registry:catalog:*}.
 *
 * @param type    {@code repository} or {@code registry}
 * @param name    the repository path, or {@code catalog}
 * @param actions {@code pull}, {@code push}, {@code delete}, {@code *}
 */
public record Scope(String type, String name, Set<String> actions) {
    public Scope {
        actions = Set.copyOf(actions);
    }

    /** {@code repository:<name>:<actions>}. */
    public static Scope repository(String name, String... actions) {
        return new Scope("repository", name, Set.of(actions));
    }
}
