package io.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {
    @TempDir Path dir;

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @Test void rsaKeyFromAPkcs8FileSignsRs256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        Path f = dir.resolve("rsa.pem");
        Files.writeString(f, pem("PRIVATE KEY", g.generateKeyPair().getPrivate().getEncoded()));
        SigningKey key = SigningKey.load(f);
        assertThat(key.algorithm()).isEqualTo("RS256");
        TokenAuthority t = new TokenAuthority(key, "i", "s", Duration.ofMinutes(1), Duration.ofDays(1), Clock.systemUTC());
        String token = t.issueAccess("alice", List.of(Scope.repository("a", "pull")), t.now());
        assertThat(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8)).contains("RS256");
        assertThat(t.verifyAccess(token).covers(Scope.repository("a", "pull"))).isTrue();
        assertThat(t.verifyAccess(token).covers(Scope.repository("a", "push"))).isFalse();
        assertThat(t.verifyAccess(token).covers(Scope.repository("b", "pull"))).isFalse();
        // an ES256 verifier does not take it (no algorithm confusion)
        TokenAuthority es = new TokenAuthority(SigningKey.generate(), "i", "s", Duration.ofMinutes(1), Duration.ofDays(1), Clock.systemUTC());
        assertThatThrownBy(() -> es.verifyAccess(token)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("algorithm");
    }

    @Test void generatedKeyRoundTripsAndBadFilesAreNamed() throws Exception {
        SigningKey k = SigningKey.loadOrGenerate(dir.resolve("k/key.pem"));
        SigningKey again = SigningKey.loadOrGenerate(dir.resolve("k/key.pem"));
        byte[] sig = k.sign("x".getBytes(StandardCharsets.US_ASCII));
        assertThat(again.verify("x".getBytes(StandardCharsets.US_ASCII), sig)).isTrue();
        assertThat(again.verify("y".getBytes(StandardCharsets.US_ASCII), sig)).isFalse();
        String ecPrivateOnly = Files.readString(dir.resolve("k/key.pem")).replaceAll("(?s)-----BEGIN PUBLIC KEY.*", "");
        Path f = dir.resolve("ec.pem");
        Files.writeString(f, ecPrivateOnly);
        assertThatThrownBy(() -> SigningKey.load(f)).hasMessageContaining(f.toString()).hasMessageContaining("PUBLIC KEY");
        Files.writeString(f, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> SigningKey.load(f)).hasMessageContaining("PKCS#8");
        Files.writeString(f, "nothing");
        assertThatThrownBy(() -> SigningKey.load(f)).hasMessageContaining("no PRIVATE KEY");
    }
}
