package io.berth.registry.auth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may do what on which repository: the registry's projects and members. Read from a JSON file
 * ({@code --access FILE}, format in the package documentation) or, without one, the default: every authenticated
 * user may do everything, anonymous clients nothing, or pull when {@code anonymousPull}. The subject {@code ""} is
 * the anonymous client.
 */
public final class AccessRules {
    /** The file's shape. */
    record Config(Boolean anonymousPull, List<String> admins, List<String> catalog, List<RuleConfig> rules) {}

    /** One rule of the file. */
    record RuleConfig(String repository, Map<String, List<String>> users, List<String> anonymous) {}

    /** A rule as checked: the pattern, the actions per user ({@code *} = any authenticated user), anonymous's. */
    record Rule(RepositoryGlob repository, Map<String, Set<String>> users, Set<String> anonymous) {}

    private static final Set<String> ALL = Scope.REPOSITORY_ACTIONS;
    private static final Set<String> PULL = Set.of("pull");

    private final boolean anonymousPull;
    private final Set<String> admins;
    private final Set<String> catalog;
    /** Null for the default (no rules file). */
    private final List<Rule> rules;

    private AccessRules(boolean anonymousPull, Set<String> admins, Set<String> catalog, List<Rule> rules) {
        this.anonymousPull = anonymousPull;
        this.admins = Set.copyOf(admins);
        this.catalog = Set.copyOf(catalog);
        this.rules = rules == null ? null : List.copyOf(rules);
    }

    /** Without a rules file: authenticated users may do everything; anonymous may pull when {@code anonymousPull}. */
    public static AccessRules defaults(boolean anonymousPull) {
        return new AccessRules(anonymousPull, Set.of(), Set.of("*"), null);
    }

    /** Reads the rules file; {@code anonymousPull} (the flag) adds to the file's own setting. */
    public static AccessRules load(Path file, boolean anonymousPull) throws IOException {
        Config c = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).readValue(file.toFile(), Config.class);
        try {
            return of(c, anonymousPull);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static AccessRules of(Config c, boolean anonymousPull) {
        List<Rule> rules = new java.util.ArrayList<>();
        for (RuleConfig r : Optional.ofNullable(c.rules()).orElse(List.of())) {
            Map<String, Set<String>> users = new LinkedHashMap<>();
            Optional.ofNullable(r.users()).orElse(Map.of()).forEach((user, actions) -> users.put(user, actions(actions, r.repository())));
            rules.add(new Rule(RepositoryGlob.of(r.repository()), users, actions(r.anonymous(), r.repository())));
        }
        return new AccessRules(anonymousPull || Boolean.TRUE.equals(c.anonymousPull()),
                Set.copyOf(Optional.ofNullable(c.admins()).orElse(List.of())),
                Set.copyOf(Optional.ofNullable(c.catalog()).orElse(List.of("*"))), rules);
    }

    private static Set<String> actions(List<String> names, String repository) {
        if (names == null) return Set.of();
        Set<String> out = new TreeSet<>();
        for (String a : names) {
            if (a.equals("*")) out.addAll(ALL);
            else if (ALL.contains(a)) out.add(a);
            else throw new IllegalArgumentException("rule " + repository + ": unknown action " + a + " (pull, push, delete or *)");
        }
        return Set.copyOf(out);
    }

    /**
     * The part of {@code requested} that {@code subject} is granted: a repository scope's actions narrowed to the
     * granted ones ({@code *} spelled out), {@code registry:catalog:*} whole or nothing, any other scope nothing.
     */
    public Scope grant(String subject, Scope requested) {
        if (requested.type().equals("registry") && requested.name().equals("catalog")) {
            return requested.withActions(catalogAllowed(subject) ? requested.actions() : Set.of());
        }
        if (!requested.type().equals("repository")) return requested.withActions(Set.of());
        Set<String> granted = new TreeSet<>(requested.expandedActions());
        granted.retainAll(actions(subject, requested.name()));
        return requested.withActions(granted);
    }

    /** True if {@code subject} holds every action of {@code needed}. */
    public boolean allows(String subject, Scope needed) {
        Scope granted = grant(subject, needed);
        return needed.type().equals("repository")
                ? granted.actions().containsAll(needed.expandedActions()) : granted.actions().equals(needed.actions());
    }

    /** True if anonymous clients may do anything at all (then {@code GET /v2/} needs no credentials). */
    public boolean anonymousMayPullSomething() {
        return anonymousPull || rules != null && rules.stream().anyMatch(r -> !r.anonymous().isEmpty());
    }

    private boolean catalogAllowed(String subject) {
        return !subject.isEmpty() && (admins.contains(subject) || catalog.contains(subject) || catalog.contains("*"));
    }

    /** What {@code subject} may do on {@code repository}: the first matching rule decides. */
    Set<String> actions(String subject, String repository) {
        boolean anonymous = subject.isEmpty();
        Set<String> out = new TreeSet<>();
        if (anonymous && anonymousPull) out.addAll(PULL);
        if (!anonymous && (rules == null || admins.contains(subject))) return ALL;
        if (rules == null) return out;
        for (Rule r : rules) {
            if (!r.repository().matches(repository)) continue;
            if (anonymous) {
                out.addAll(r.anonymous());
            } else {
                out.addAll(r.users().getOrDefault(subject, Set.of()));
                out.addAll(r.users().getOrDefault("*", Set.of()));
            }
            break;
        }
        return out;
    }
}
