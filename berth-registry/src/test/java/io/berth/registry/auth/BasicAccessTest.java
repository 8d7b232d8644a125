package io.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.http.Headers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BasicAccessTest {
    static final Htpasswd USERS = Htpasswd.parse(List.of(HtpasswdTest.ALICE, HtpasswdTest.BOB), "test");

    @TempDir Path dir;

    static Headers auth(String value) { return value == null ? new Headers() : new Headers().add("Authorization", value); }

    static RegistryAccess.Decision check(RegistryAccess a, String authorization, Scope... needed) {
        return a.check(auth(authorization), List.of(needed));
    }

    @Test void rightPasswordIsAllowedAndWrongOneGetsTheBasicChallenge() {
        BasicAccess a = new BasicAccess(() -> USERS, AccessRules.defaults(false), java.time.Clock.systemUTC());
        assertThat(check(a, TokenFlowTest.basic("alice", "correct horse"), Scope.repository("a/b", "pull", "push")))
                .isEqualTo(new RegistryAccess.Allowed("alice"));
        assertThat(check(a, TokenFlowTest.basic("alice", "correct horse"))).isEqualTo(new RegistryAccess.Allowed("alice"));
        RegistryAccess.Refused wrong = (RegistryAccess.Refused) check(a, TokenFlowTest.basic("alice", "hunter2"), Scope.repository("a/b", "pull"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.challenge()).isEqualTo("Basic realm=\"berth registry\"");
        assertThat(wrong.code()).isEqualTo("UNAUTHORIZED");
        assertThat(check(a, TokenFlowTest.basic("mallory", "hunter2"), Scope.repository("a/b", "pull"))).isEqualTo(wrong);
        for (String bogus : List.of("Basic", "Basic !!", "Bearer abc", "Digest x", TokenFlowTest.basic("", "hunter2"))) {
            assertThat(check(a, bogus, Scope.repository("a/b", "pull"))).as(bogus).isInstanceOf(RegistryAccess.Refused.class)
                    .extracting("status").isEqualTo(401);
        }
        assertThat(check(a, null)).isInstanceOf(RegistryAccess.Refused.class);
        assertThat(check(a, null, Scope.repository("a/b", "pull"))).isInstanceOf(RegistryAccess.Refused.class);
    }

    @Test void anonymousPullWhenConfigured() {
        BasicAccess a = new BasicAccess(() -> USERS, AccessRules.defaults(true), java.time.Clock.systemUTC());
        assertThat(check(a, null)).isEqualTo(new RegistryAccess.Allowed(""));
        assertThat(check(a, null, Scope.repository("a/b", "pull"))).isEqualTo(new RegistryAccess.Allowed(""));
        assertThat(check(a, null, Scope.repository("a/b", "pull", "push"))).extracting("status").isEqualTo(401);
        assertThat(check(a, null, Scope.catalog())).extracting("status").isEqualTo(401);
        // a wrong password is not anonymous
        assertThat(check(a, TokenFlowTest.basic("alice", "x"), Scope.repository("a/b", "pull"))).extracting("status").isEqualTo(401);
    }

    @Test void rulesRefuseAnotherUsersRepositoryWithDenied() throws Exception {
        Path f = dir.resolve("access.json");
        Files.writeString(f, TokenFlowTest.RULES);
        BasicAccess a = new BasicAccess(() -> USERS, AccessRules.load(f, false), java.time.Clock.systemUTC());
        String bob = TokenFlowTest.basic("bob", "hunter2");
        assertThat(check(a, bob, Scope.repository("team/app", "pull"))).isEqualTo(new RegistryAccess.Allowed("bob"));
        RegistryAccess.Refused denied = (RegistryAccess.Refused) check(a, bob, Scope.repository("alice/x", "pull"));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.code()).isEqualTo("DENIED");
        assertThat(denied.challenge()).isNull();
        assertThat(check(a, bob, Scope.repository("team/app", "pull", "push"))).extracting("status").isEqualTo(403);
        // a mount needs pull on the source too
        assertThat(check(a, TokenFlowTest.basic("alice", "correct horse"), Scope.repository("alice/x", "pull", "push"),
                Scope.repository("other/y", "pull"))).extracting("status").isEqualTo(403);
        assertThat(check(a, null, Scope.repository("team/app", "pull"))).isEqualTo(new RegistryAccess.Allowed(""));
        assertThat(check(a, null)).isEqualTo(new RegistryAccess.Allowed(""));
    }

    @Test void factoryBuildsWhatTheOptionsSay() throws Exception {
        assertThat(RegistryAuth.from(AuthOptions.none(dir)).access()).isSameAs(RegistryAccess.OPEN);
        Path h = dir.resolve("htpasswd");
        Files.writeString(h, HtpasswdTest.ALICE + "\n");
        RegistryAuth basic = RegistryAuth.from(AuthOptions.none(dir).withHtpasswd(h));
        assertThat(basic.access()).isInstanceOf(BasicAccess.class);
        assertThat(basic.tokenEndpoint()).isEmpty();
        RegistryAuth token = RegistryAuth.from(AuthOptions.none(dir).withHtpasswd(h).withTokenRealm("http://127.0.0.1:5000/auth/token", "svc"));
        assertThat(token.access()).isInstanceOf(TokenAccess.class);
        assertThat(token.tokenEndpoint()).isPresent();
        assertThat(token.tokenPath()).isEqualTo("/auth/token");
        assertThat(Files.exists(dir.resolve(RegistryAuth.KEY_FILE))).isTrue();
        basic.close();
        token.close();
        Files.writeString(h, "carol:$apr1$j8u8kELx$2NrrefntgzZIHT.NVLrOA0\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RegistryAuth.from(AuthOptions.none(dir).withHtpasswd(h)))
                .hasMessageContaining(h.toString()).hasMessageContaining("bcrypt");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RegistryAuth.from(AuthOptions.none(dir).withTokenRealm("token", null)))
                .hasMessageContaining("absolute URL");
    }

    @Test void aChangedHtpasswdFileIsReadAgain() throws Exception {
        Path h = dir.resolve("htpasswd");
        Files.writeString(h, HtpasswdTest.ALICE + "\n");
        try (RegistryAuth auth = RegistryAuth.from(AuthOptions.none(dir).withHtpasswd(h))) {
            String bob = TokenFlowTest.basic("bob", "hunter2"), alice = TokenFlowTest.basic("alice", "correct horse");
            Scope pull = Scope.repository("a", "pull");
            assertThat(check(auth.access(), alice, pull)).isInstanceOf(RegistryAccess.Allowed.class);
            assertThat(check(auth.access(), bob, pull)).isInstanceOf(RegistryAccess.Refused.class);
            Path tmp = dir.resolve("htpasswd.tmp");
            Files.writeString(tmp, HtpasswdTest.BOB + "\n");
            Files.move(tmp, h, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!(check(auth.access(), bob, pull) instanceof RegistryAccess.Allowed) && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(check(auth.access(), bob, pull)).isInstanceOf(RegistryAccess.Allowed.class);
            // alice is gone, although her header verified a moment ago
            assertThat(check(auth.access(), alice, pull)).isInstanceOf(RegistryAccess.Refused.class);
            // a broken file keeps the users as they were (written whole: a watcher may see a file being rewritten empty)
            Files.writeString(tmp, "carol:$apr1$j8u8kELx$2NrrefntgzZIHT.NVLrOA0\n");
            Files.move(tmp, h, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(300);
            assertThat(check(auth.access(), bob, pull)).isInstanceOf(RegistryAccess.Allowed.class);
        }
    }
}
