package io.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdTest {
    /** Written by Debian's {@code htpasswd -Bbn alice 'correct horse'} and {@code htpasswd -Bbn bob hunter2} (apache2-utils 2.4). */
    static final String ALICE = "alice:$2y$05$CEkEGyXdEKLP3yQGS/YyMeBz.tQRJnKSM8o4Zva1l.thAwTA1DWRy";
    static final String BOB = "bob:$2y$05$ccufU7sgQme57n55t3dKRuOthoA0uyGRc8g227vHD1uoNY9sjeeNa";

    @TempDir Path dir;

    @Test void readsWhatHtpasswdWritesAndVerifies() throws Exception {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, "# team\n" + ALICE + "\n\n" + BOB + "\n");
        Htpasswd users = Htpasswd.load(file);
        assertThat(users.size()).isEqualTo(2);
        assertThat(users.authenticate("alice", "correct horse")).isTrue();
        assertThat(users.authenticate("bob", "hunter2")).isTrue();
        assertThat(users.authenticate("alice", "hunter2")).isFalse();
        assertThat(users.authenticate("alice", "")).isFalse();
        assertThat(users.authenticate("mallory", "hunter2")).isFalse();
        assertThat(users.authenticate("ALICE", "correct horse")).isFalse();
    }

    @Test void acceptsTheOtherBcryptVersions() {
        for (BCrypt.Version v : List.of(BCrypt.Version.VERSION_2A, BCrypt.Version.VERSION_2B)) {
            String hash = new String(BCrypt.with(v).hash(4, "pw".getBytes(StandardCharsets.UTF_8)), StandardCharsets.US_ASCII);
            Htpasswd users = Htpasswd.parse(List.of("u:" + hash), "test");
            assertThat(users.authenticate("u", "pw")).as(hash).isTrue();
            assertThat(users.authenticate("u", "pw2")).isFalse();
        }
    }

    @Test void refusesOtherHashKindsNamingTheLine() {
        // htpasswd -mbn carol x, htpasswd -sbn dave x, and plain text
        assertThatThrownBy(() -> Htpasswd.parse(List.of(ALICE, "carol:$apr1$j8u8kELx$2NrrefntgzZIHT.NVLrOA0"), "f"))
                .hasMessageContaining("f line 2").hasMessageContaining("carol").hasMessageContaining("MD5").hasMessageContaining("htpasswd -B");
        assertThatThrownBy(() -> Htpasswd.parse(List.of("dave:{SHA}EfatjsUqKYSrqv18O1FlA3hcIHI="), "f")).hasMessageContaining("SHA-1");
        assertThatThrownBy(() -> Htpasswd.parse(List.of("eve:secret"), "f")).hasMessageContaining("plain");
        assertThatThrownBy(() -> Htpasswd.parse(List.of("noseparator"), "f")).hasMessageContaining("user:hash");
        assertThatThrownBy(() -> Htpasswd.parse(List.of(ALICE, ALICE), "f")).hasMessageContaining("twice");
        assertThatThrownBy(() -> Htpasswd.parse(List.of("*:" + ALICE.substring(6)), "f")).hasMessageContaining("not a user name");
    }

    @Test void fingerprintChangesWithThePassword() {
        Htpasswd a = Htpasswd.parse(List.of(ALICE), "f");
        Htpasswd b = Htpasswd.parse(List.of("alice:" + BOB.substring(4)), "f");
        assertThat(a.fingerprint("alice")).isPresent().isNotEqualTo(b.fingerprint("alice"));
        assertThat(a.fingerprint("bob")).isEmpty();
    }

    @Test void basicCredentials() {
        assertThat(BasicCredentials.parse("Basic YWxpY2U6YTpi")).contains(new BasicCredentials("alice", "a:b"));
        assertThat(BasicCredentials.parse("basic YWxpY2U6")).contains(new BasicCredentials("alice", ""));
        assertThat(BasicCredentials.parse("Basic !!!")).isEmpty();
        assertThat(BasicCredentials.parse("Basic OnB3")).isEmpty();
        assertThat(BasicCredentials.parse("Bearer x")).isEmpty();
        assertThat(BasicCredentials.parse(null)).isEmpty();
        assertThat(new BasicCredentials("alice", "secret").toString()).doesNotContain("secret");
    }
}
