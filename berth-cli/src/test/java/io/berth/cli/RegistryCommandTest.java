package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.RegistryAuthHeader;
import io.berth.client.FakeDaemon;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCommandTest {
    @TempDir Path config;

    static final String PULL_STREAM = String.join("\r\n",
            "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}",
            "{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"a1b2c3d4e5f6\"}",
            "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":500000,\"total\":1000000},\"progress\":\"[=>  ]\",\"id\":\"a1b2c3d4e5f6\"}",
            "{\"status\":\"Download complete\",\"progressDetail\":{},\"id\":\"a1b2c3d4e5f6\"}",
            "{\"status\":\"Pull complete\",\"progressDetail\":{},\"id\":\"a1b2c3d4e5f6\"}",
            "{\"status\":\"Digest: sha256:abc\"}",
            "{\"status\":\"Status: Downloaded newer image for busybox:latest\"}", "");

    record Result(int code, String out, String err) {}

    Result run(FakeDaemon d, String stdin, boolean stdinTerminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        String[] full = new String[args.length + 2];
        full[0] = "-H";
        full[1] = d.host();
        System.arraycopy(args, 0, full, 2, args.length);
        int code = Main.run(full, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("DOCKER_CONFIG", config.toString()), stdinTerminal, false);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Result run(FakeDaemon d, String stdin, String... args) { return run(d, stdin, false, args); }

    static String query(FakeDaemon.Request r) { return URLDecoder.decode(r.query(), StandardCharsets.UTF_8); }

    static AuthConfig authHeader(FakeDaemon.Request r) { return RegistryAuthHeader.decode(r.headers().get("X-Registry-Auth")); }

    static FakeDaemon.Request last(FakeDaemon d, String pathEnd) {
        return d.requests.stream().filter(r -> r.path().endsWith(pathEnd)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void pullPrintsStatusLinesWithoutATerminalAndTheReference() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> FakeDaemon.Response.chunked("application/json", PULL_STREAM))) {
            Result r = run(d, "", "pull", "busybox");
            assertThat(r.err()).isEmpty();
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo("""
                    Using default tag: latest
                    latest: Pulling from library/busybox
                    a1b2c3d4e5f6: Pulling fs layer
                    a1b2c3d4e5f6: Download complete
                    a1b2c3d4e5f6: Pull complete
                    Digest: sha256:abc
                    Status: Downloaded newer image for busybox:latest
                    docker.io/library/busybox:latest
                    """);
            FakeDaemon.Request req = last(d, "/images/create");
            assertThat(query(req)).isEqualTo("fromImage=docker.io/library/busybox&tag=latest");
            assertThat(authHeader(req).serverAddress()).isEqualTo("https://index.docker.io/v1/");

            r = run(d, "", "image", "pull", "-q", "--platform", "linux/arm64/v8", "127.0.0.1:5000/a/b@sha256:" + "ab".repeat(32));
            assertThat(r.out()).isEqualTo("127.0.0.1:5000/a/b@sha256:" + "ab".repeat(32) + "\n");
            assertThat(query(last(d, "/images/create"))).isEqualTo("fromImage=127.0.0.1:5000/a/b&tag=sha256:" + "ab".repeat(32)
                    + "&platform=linux/arm64/v8");

            r = run(d, "", "pull", "-a", "127.0.0.1:5000/app");
            assertThat(query(last(d, "/images/create"))).isEqualTo("fromImage=127.0.0.1:5000/app");
            assertThat(r.out()).endsWith("127.0.0.1:5000/app\n").doesNotContain("Using default tag");
            assertThat(run(d, "", "pull", "-a", "app:1").err()).isEqualTo("tag can't be used with --all-tags/-a\n");
        }
    }

    @Test
    void progressBarsOnATerminalRewriteOneLinePerId() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressDisplay d = new ProgressDisplay(new PrintStream(buf, true, StandardCharsets.UTF_8), true, 200, null);
        for (String line : PULL_STREAM.split("\r\n")) {
            try {
                d.accept(Json.plain().readValue(line, io.berth.api.JsonMessage.class));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("latest: Pulling from library/busybox\n\n\u001b[1A\u001b[2K\ra1b2c3d4e5f6: Pulling fs layer \r\u001b[1B");
        assertThat(out).contains("\u001b[1A\u001b[2K\ra1b2c3d4e5f6: Downloading [=========================>                         ]    500kB/1MB\r\u001b[1B");
        assertThat(out).endsWith("Digest: sha256:abc\nStatus: Downloaded newer image for busybox:latest\n");
        assertThat(d.bar(2_000_000, 1_000_000)).isEqualTo("[==================================================>]      2MB");
        assertThat(new ProgressDisplay(new PrintStream(buf), true, 80, null).bar(1, 4)).isEqualTo("      1B/4B");
    }

    @Test
    void streamErrorsEndThePullWithExitOne() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> r.path().endsWith("/images/create")
                ? FakeDaemon.Response.chunked("application/json", "{\"status\":\"Pulling from a\",\"id\":\"latest\"}\r\n",
                        "{\"errorDetail\":{\"message\":\"manifest for 127.0.0.1:5000/a:latest not found\"},\"error\":\"manifest for 127.0.0.1:5000/a:latest not found\"}\r\n")
                : FakeDaemon.Response.json(404, "{\"message\":\"pull access denied for nope, repository does not exist or may require 'docker login'\"}"))) {
            Result r = run(d, "", "pull", "127.0.0.1:5000/a");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("manifest for 127.0.0.1:5000/a:latest not found\n");
        }
    }

    @Test
    void loginStoresCredentialsAsTheDockerCliAndLogoutRemovesThem() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> FakeDaemon.Response.json(200, "{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"\"}"))) {
            Result r = run(d, "s3cret\n", "login", "-u", "alice", "--password-stdin", "127.0.0.1:5000");
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo("Login Succeeded\n");
            assertThat(r.err()).contains("WARNING! Your credentials are stored unencrypted in '" + config.resolve("config.json") + "'.");
            JsonNode sent = Json.plain().readTree(last(d, "/auth").body());
            assertThat(sent.path("username").asText()).isEqualTo("alice");
            assertThat(sent.path("password").asText()).isEqualTo("s3cret");
            assertThat(sent.path("serveraddress").asText()).isEqualTo("127.0.0.1:5000");
            JsonNode stored = Json.plain().readTree(config.resolve("config.json").toFile());
            assertThat(stored.path("auths").path("127.0.0.1:5000").path("auth").asText())
                    .isEqualTo(Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)));

            run(d, "", "pull", "127.0.0.1:5000/app:1");
            AuthConfig a = authHeader(last(d, "/images/create"));
            assertThat(List.of(a.username(), a.password(), a.serverAddress())).containsExactly("alice", "s3cret", "127.0.0.1:5000");

            r = run(d, "", "logout", "127.0.0.1:5000");
            assertThat(r.out()).isEqualTo("Removing login credentials for 127.0.0.1:5000\n");
            assertThat(Json.plain().readTree(config.resolve("config.json").toFile()).path("auths").has("127.0.0.1:5000")).isFalse();
        }
    }

    @Test
    void loginKeepsTheIdentityTokenInsteadOfThePasswordAndUsesHubsKey() throws Exception {
        Files.writeString(config.resolve("config.json"), "{\"auths\":{},\"psFormat\":\"table {{.ID}}\"}");
        try (FakeDaemon d = CommandTest.daemon(r -> FakeDaemon.Response.json(200, "{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"refresh-1\"}"))) {
            Result r = run(d, "", "login", "-u", "bob", "-p", "pw");
            assertThat(r.code()).isZero();
            assertThat(r.err()).startsWith("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
            JsonNode stored = Json.plain().readTree(config.resolve("config.json").toFile());
            JsonNode hub = stored.path("auths").path("https://index.docker.io/v1/");
            assertThat(hub.path("identitytoken").asText()).isEqualTo("refresh-1");
            assertThat(hub.path("auth").asText()).isEqualTo(Base64.getEncoder().encodeToString("bob:".getBytes(StandardCharsets.UTF_8)));
            assertThat(stored.path("psFormat").asText()).isEqualTo("table {{.ID}}");
            run(d, "", "pull", "busybox");
            AuthConfig a = authHeader(last(d, "/images/create"));
            assertThat(a.identityToken()).isEqualTo("refresh-1");
            assertThat(a.password()).isNull();
        }
    }

    @Test
    void loginErrorsAsDocker() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> FakeDaemon.Response.json(401,
                "{\"message\":\"login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized\"}"))) {
            Result r = run(d, "bad\n", "login", "-u", "alice", "--password-stdin", "127.0.0.1:5000");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("Error response from daemon: login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized\n");
            assertThat(Files.exists(config.resolve("config.json"))).isFalse();
            assertThat(run(d, "", "login", "--password-stdin").err()).isEqualTo("Must provide --username with --password-stdin\n");
            assertThat(run(d, "", "login", "-u", "a", "-p", "b", "--password-stdin").err())
                    .endsWith("--password and --password-stdin are mutually exclusive\n");
            assertThat(run(d, "alice\n", "login", "127.0.0.1:5000").err())
                    .isEqualTo("Error: Cannot perform an interactive login from a non TTY device\n");
        }
    }

    @Test
    void pushRetriesWithCredentialsAfter401() throws Exception {
        String stream = String.join("\r\n",
                "{\"status\":\"The push refers to repository [127.0.0.1:5000/app]\"}",
                "{\"status\":\"Preparing\",\"progressDetail\":{},\"id\":\"0123456789ab\"}",
                "{\"status\":\"Pushed\",\"progressDetail\":{},\"id\":\"0123456789ab\"}",
                "{\"status\":\"1: digest: sha256:def size: 527\"}",
                "{\"progressDetail\":{},\"aux\":{\"Tag\":\"1\",\"Digest\":\"sha256:def\",\"Size\":527}}", "");
        try (FakeDaemon d = CommandTest.daemon(r -> {
            AuthConfig a = authHeader(r);
            return a.username() == null ? FakeDaemon.Response.json(401, "{\"message\":\"unauthorized: authentication required\"}")
                    : FakeDaemon.Response.chunked("application/json", stream);
        })) {
            Result r = run(d, "alice\ns3cret\n", true, "push", "127.0.0.1:5000/app:1");
            assertThat(r.err()).isEmpty();
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo("""
                    
                    Login prior to push:
                    Username: Password:\s
                    The push refers to repository [127.0.0.1:5000/app]
                    0123456789ab: Preparing
                    0123456789ab: Pushed
                    1: digest: sha256:def size: 527
                    """);
            List<FakeDaemon.Request> pushes = d.requests.stream().filter(q -> q.path().endsWith("/push")).toList();
            assertThat(pushes).hasSize(2);
            assertThat(pushes.getFirst().path()).isEqualTo("/v1.47/images/127.0.0.1:5000/app/push");
            assertThat(query(pushes.getFirst())).isEqualTo("tag=1");
            assertThat(authHeader(pushes.get(1)).password()).isEqualTo("s3cret");

            r = run(d, "", "push", "127.0.0.1:5000/app:1");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("Error: Non-null Username Required\n");
            r = run(d, "alice\n", "push", "127.0.0.1:5000/app:1");
            assertThat(r.err()).isEqualTo("Error: Cannot perform an interactive login from a non TTY device\n");
        }
    }
}
