package io.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessRulesTest {
    static final String RULES = """
            {"admins": ["root"],
             "catalog": ["alice"],
             "rules": [
               {"repository": "team/*", "users": {"alice": ["pull", "push", "delete"], "*": ["pull"]}},
               {"repository": "public/**", "users": {"*": ["pull"], "bob": ["*"]}, "anonymous": ["pull"]},
               {"repository": "team/**", "users": {"bob": ["push"]}}
             ]}
            """;

    @TempDir Path dir;

    AccessRules load(String json, boolean anonymousPull) throws Exception {
        Path f = dir.resolve("access.json");
        Files.writeString(f, json);
        return AccessRules.load(f, anonymousPull);
    }

    @Test void defaultsLetUsersDoEverythingAndAnonymousNothingOrPull() {
        AccessRules closed = AccessRules.defaults(false), pull = AccessRules.defaults(true);
        assertThat(closed.grant("alice", Scope.repository("a/b", "pull", "push", "delete")).actions()).containsExactlyInAnyOrder("pull", "push", "delete");
        assertThat(closed.grant("", Scope.repository("a/b", "pull")).actions()).isEmpty();
        assertThat(closed.anonymousMayPullSomething()).isFalse();
        assertThat(pull.grant("", Scope.repository("a/b", "pull", "push")).actions()).containsExactly("pull");
        assertThat(pull.anonymousMayPullSomething()).isTrue();
        assertThat(closed.allows("alice", Scope.catalog())).isTrue();
        assertThat(closed.allows("", Scope.catalog())).isFalse();
    }

    @Test void globsAndTheFirstMatchingRule() throws Exception {
        AccessRules r = load(RULES, false);
        assertThat(r.actions("alice", "team/app")).containsExactlyInAnyOrder("pull", "push", "delete");
        assertThat(r.actions("bob", "team/app")).containsExactly("pull"); // "*" of the first rule; the third is not reached
        assertThat(r.actions("bob", "team/a/b")).containsExactly("push"); // * stays in one component, ** does not
        assertThat(r.actions("alice", "team/a/b")).isEmpty();
        assertThat(r.actions("carol", "public/x/y")).containsExactly("pull");
        assertThat(r.actions("bob", "public/x")).containsExactlyInAnyOrder("pull", "push", "delete");
        assertThat(r.actions("", "public/x")).containsExactly("pull");
        assertThat(r.actions("", "team/app")).isEmpty();
        assertThat(r.actions("alice", "other")).isEmpty();
        assertThat(r.actions("root", "other")).containsExactlyInAnyOrder("pull", "push", "delete");
        assertThat(r.actions("alice", "teamx/app")).isEmpty();
        assertThat(r.anonymousMayPullSomething()).isTrue();
    }

    @Test void grantIsTheIntersection() throws Exception {
        AccessRules r = load(RULES, false);
        assertThat(r.grant("bob", Scope.repository("team/app", "pull", "push")).actions()).containsExactly("pull");
        assertThat(r.grant("alice", Scope.repository("team/app", "*")).actions()).containsExactlyInAnyOrder("pull", "push", "delete");
        assertThat(r.allows("alice", Scope.repository("team/app", "*"))).isTrue();
        assertThat(r.allows("bob", Scope.repository("team/app", "*"))).isFalse();
        assertThat(r.grant("alice", new Scope("repository", "team/app", Set.of("pull", "admin"))).actions()).containsExactly("pull");
        assertThat(r.grant("alice", new Scope("plugin", "team/app", Set.of("pull"))).actions()).isEmpty();
        assertThat(r.allows("alice", Scope.catalog())).isTrue();
        assertThat(r.allows("root", Scope.catalog())).isTrue();
        assertThat(r.allows("bob", Scope.catalog())).isFalse();
        assertThat(r.grant("alice", new Scope("registry", "catalog", Set.of("search"))).actions()).containsExactly("search");
    }

    @Test void theFlagAddsAnonymousPullToAFile() throws Exception {
        AccessRules r = load("{\"rules\": [{\"repository\": \"x\", \"users\": {\"alice\": [\"pull\"]}}]}", true);
        assertThat(r.actions("", "anything/else")).containsExactly("pull");
        assertThat(r.actions("alice", "anything/else")).isEmpty();
        assertThat(load("{\"anonymousPull\": true}", false).actions("", "y")).containsExactly("pull");
    }

    @Test void badFilesFailAtStartup() {
        assertThatThrownBy(() -> load("{\"rules\": [{\"repository\": \"x\", \"users\": {\"a\": [\"write\"]}}]}", false))
                .hasMessageContaining("unknown action write").hasMessageContaining("access.json");
        assertThatThrownBy(() -> load("{\"rules\": [{\"repository\": \"X/../y\"}]}", false)).hasMessageContaining("invalid repository pattern");
        assertThatThrownBy(() -> load("{\"rulez\": []}", false)).hasMessageContaining("rulez");
        assertThatThrownBy(() -> load("{not json", false)).isInstanceOf(java.io.IOException.class);
    }

    @Test void scopeGrammar() {
        assertThat(Scope.parse("repository:team/app:pull,push")).isEqualTo(Scope.repository("team/app", "pull", "push"));
        assertThat(Scope.parse("repository(plugin):a:pull")).isEqualTo(Scope.repository("a", "pull"));
        assertThat(Scope.parse("repository:localhost:5000/a:pull").name()).isEqualTo("localhost:5000/a");
        assertThat(Scope.parse("registry:catalog:*")).isEqualTo(Scope.catalog());
        assertThat(Scope.parse("repository:a:").actions()).isEmpty();
        assertThat(Scope.parseAll(List.of("repository:a:pull repository:b:push", "repository:c:pull"))).extracting(Scope::name).containsExactly("a", "b", "c");
        assertThat(Scope.repository("a", "push", "pull").toString()).isEqualTo("repository:a:pull,push");
        assertThatThrownBy(() -> Scope.parse("nocolon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scope.parse("repository:pull")).isInstanceOf(IllegalArgumentException.class);
    }
}
