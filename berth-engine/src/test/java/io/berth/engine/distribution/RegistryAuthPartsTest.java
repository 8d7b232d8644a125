package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.registry.AuthConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces behind the client without a session: challenges, insecure registries, endpoints, token expiry. */
class RegistryAuthPartsTest {
    @Test void challengesParseLikeDistribution() {
        List<Challenge> all = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:samalba/my-app:pull,push\", Basic realm=plain");
        assertThat(all).hasSize(2);
        assertThat(all.getFirst().isBearer()).isTrue();
        assertThat(all.getFirst().params()).containsExactlyInAnyOrderEntriesOf(Map.of("realm", "https://auth.docker.io/token",
                "service", "registry.docker.io", "scope", "repository:samalba/my-app:pull,push"));
        assertThat(all.get(1)).isEqualTo(new Challenge("basic", Map.of("realm", "plain")));
        assertThat(Challenge.parse("Bearer realm=\"r\",error=\"insufficient_scope\"").getFirst().param("error")).isEqualTo("insufficient_scope");
    }

    @Test void insecureRegistriesAsDockerd() {
        InsecureRegistries insecure = new InsecureRegistries(List.of("10.1.0.0/16", "registry.local:5000", "http://other:443/"), true);
        assertThat(insecure.isInsecure("127.0.0.1:5000")).isTrue();
        assertThat(insecure.isInsecure("127.9.9.9")).isTrue();
        assertThat(insecure.isInsecure("[::1]:5000")).isTrue();
        assertThat(insecure.isInsecure("localhost:5000")).isTrue();
        assertThat(insecure.isInsecure("10.1.200.3:5000")).isTrue();
        assertThat(insecure.isInsecure("10.2.0.1:5000")).isFalse();
        assertThat(insecure.isInsecure("registry.local:5000")).isTrue();
        assertThat(insecure.isInsecure("other:443")).isTrue();
        assertThat(new InsecureRegistries(List.of(), false).isInsecure("127.0.0.1:5000")).isFalse();
    }

    @Test void endpointsWithMirrorsOnlyForHubPulls() {
        RegistryEndpoints endpoints = new RegistryEndpoints(List.of("https://mirror.example", "127.0.0.1:5001"),
                new InsecureRegistries(List.of(), true));
        assertThat(endpoints.lookup("docker.io", true)).extracting(e -> e.base().toString(), Endpoint::mirror, Endpoint::skipVerify)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("https://mirror.example", true, false),
                        org.assertj.core.groups.Tuple.tuple("https://127.0.0.1:5001", true, true),
                        org.assertj.core.groups.Tuple.tuple("https://registry-1.docker.io", false, false));
        assertThat(endpoints.lookup("docker.io", false)).extracting(e -> e.base().toString()).containsExactly("https://registry-1.docker.io");
        assertThat(endpoints.lookup("localhost:5000", true)).extracting(e -> e.base().toString())
                .containsExactly("https://localhost:5000", "http://localhost:5000");
        assertThat(RegistryEndpoints.loginDomain("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(RegistryEndpoints.loginDomain("")).isEqualTo("docker.io");
        assertThat(RegistryEndpoints.loginDomain("http://Registry.Example:5000/v2/")).isEqualTo("registry.example:5000");
    }

    @Test void credentialsFromAuthField() {
        RegistryCredentials c = RegistryCredentials.of(new AuthConfig(null, null, "YWxpY2U6czNjOnJldA==", null, null, null, null));
        assertThat(c.username()).isEqualTo("alice");
        assertThat(c.password()).isEqualTo("s3c:ret");
        assertThat(RegistryCredentials.of(AuthConfig.NONE).isEmpty()).isTrue();
    }

    @Test void tokensExpireAfterExpiresIn() throws IOException {
        try (FakeRegistryServer registry = FakeRegistryServer.http()) {
            MutableClock clock = new MutableClock();
            RegistryTransport transport = new RegistryTransport(new RegistryTls(null),
                    new RegistryTransport.RetryPolicy(1, Duration.ofMillis(1)), Duration.ofSeconds(5), Duration.ofSeconds(1));
            TokenService tokens = new TokenService(transport, clock);
            Endpoint endpoint = new Endpoint(URI.create(registry.base()), registry.host(), false, false);
            Challenge challenge = new Challenge("bearer", Map.of("realm", registry.base() + "/token", "service", "fake-registry"));
            List<String> scopes = List.of("repository:app:pull");
            RegistryCredentials alice = RegistryCredentials.of(new AuthConfig("alice", "secret", null, null, null, null, null));
            TokenService.Token first = tokens.token(endpoint, challenge, scopes, alice);
            clock.now = clock.now.plusSeconds(200);
            assertThat(tokens.token(endpoint, challenge, scopes, alice)).isSameAs(first);
            clock.now = clock.now.plusSeconds(200);
            assertThat(tokens.token(endpoint, challenge, scopes, alice).value()).isNotEqualTo(first.value());
            assertThat(registry.tokenRequests).hasSize(2);
            assertThat(first.refreshToken()).startsWith("refresh-");
        }
    }

    private static final class MutableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
