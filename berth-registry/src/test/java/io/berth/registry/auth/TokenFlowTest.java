package io.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.http.ErrorRenderer;
import io.berth.http.Handler;
import io.berth.http.Headers;
import io.berth.http.HttpError;
import io.berth.http.HttpServer;
import io.berth.http.Router;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker's token flow against the token endpoint and {@link TokenAccess} on a real berth-http server on loopback:
 * the challenge, anonymous and Basic tokens, the OAuth POST, refresh tokens, and every way a token must be refused.
 */
class TokenFlowTest {
    static final String RULES = """
            {"rules": [
               {"repository": "alice/**", "users": {"alice": ["*"]}},
               {"repository": "team/*", "users": {"alice": ["pull", "push"], "bob": ["pull"]}, "anonymous": ["pull"]}
             ]}
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    /** A clock the tests move. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.now();
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @TempDir Path dir;
    final MovableClock clock = new MovableClock();
    final HttpClient http = HttpClient.newHttpClient();
    HttpServer server;
    String base;
    RegistryAuth auth;

    @BeforeEach void start() throws Exception {
        Path htpasswd = dir.resolve("htpasswd"), access = dir.resolve("access.json");
        Files.writeString(htpasswd, HtpasswdTest.ALICE + "\n" + HtpasswdTest.BOB + "\n");
        Files.writeString(access, RULES);
    }

    @AfterEach void stop() {
        if (server != null) server.close();
        if (auth != null) auth.close();
    }

    // --- the server under test ---------------------------------------------------------------------------------

    void serve(AuthOptions options) throws Exception {
        if (auth != null) auth.close();
        auth = RegistryAuth.from(options, clock);
        Handler token = auth.tokenEndpoint().orElseThrow();
        Router router = Router.builder()
                .get(auth.tokenPath(), token)
                .post(auth.tokenPath(), token)
                .get("/v2/", guarded(q -> List.of()))
                .get("/v2/_catalog", guarded(q -> List.of(Scope.catalog())))
                .get("/v2/{name:.*}/manifests/{ref}", guarded(q -> List.of(Scope.repository(q.param("name"), "pull"))))
                .put("/v2/{name:.*}/manifests/{ref}", guarded(q -> List.of(Scope.repository(q.param("name"), "pull", "push"))))
                .delete("/v2/{name:.*}/manifests/{ref}", guarded(q -> List.of(Scope.repository(q.param("name"), "delete"))))
                .build();
        if (server != null) server.close();
        server = new HttpServer(router, new Headers().add("Docker-Distribution-Api-Version", "registry/2.0"), errors(), JSON);
        int port = ((InetSocketAddress) server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))).getPort();
        base = "http://127.0.0.1:" + port;
    }

    void serve() throws Exception {
        serve(AuthOptions.none(dir).withHtpasswd(dir.resolve("htpasswd")).withAccessFile(dir.resolve("access.json"))
                .withTokenRealm("http://127.0.0.1:1/token", "test-registry"));
    }

    interface Needs { List<Scope> of(io.berth.http.Request q); }

    Handler guarded(Needs needs) {
        return (q, r) -> {
            switch (auth.access().check(q.headers(), needs.of(q))) {
                case RegistryAccess.Allowed a -> r.json(200, Map.of("subject", a.subject()));
                case RegistryAccess.Refused f -> {
                    if (f.challenge() != null) r.header("WWW-Authenticate", f.challenge());
                    r.json(f.status(), Map.of("errors", List.of(Map.of("code", f.code(), "message", f.message()))));
                }
            }
        };
    }

    static ErrorRenderer errors() {
        return new ErrorRenderer() {
            @Override public HttpError render(Throwable failure) {
                int status = failure instanceof io.berth.http.HttpProtocolException e ? e.status() : 500;
                return new HttpError(status, String.valueOf(failure.getMessage()), "text/plain", String.valueOf(failure.getMessage()).getBytes(StandardCharsets.UTF_8));
            }

            @Override public byte[] streamTrailer(HttpError error, String contentType) { return null; }
        };
    }

    // --- the client ------------------------------------------------------------------------------------------------

    HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String q(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    JsonNode token(String query, String authorization) throws Exception {
        HttpResponse<String> r = send("GET", "/token?" + query, authorization);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    String tokenFor(String user, String password, String... scopes) throws Exception {
        StringBuilder query = new StringBuilder("service=test-registry");
        for (String s : scopes) query.append("&scope=").append(q(s));
        return token(query.toString(), user == null ? null : basic(user, password)).path("token").asText();
    }

    static JsonNode claims(String token) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    // --- the tests -------------------------------------------------------------------------------------------------

    @Test void challengeNamesRealmServiceAndScope() throws Exception {
        serve();
        HttpResponse<String> r = send("GET", "/v2/team/app/manifests/latest", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).contains(
                "Bearer realm=\"http://127.0.0.1:1/token\",service=\"test-registry\",scope=\"repository:team/app:pull\"");
        assertThat(r.body()).contains("UNAUTHORIZED");
        assertThat(send("GET", "/v2/", null).headers().firstValue("WWW-Authenticate"))
                .contains("Bearer realm=\"http://127.0.0.1:1/token\",service=\"test-registry\"");
        assertThat(send("GET", "/v2/", basic("alice", "correct horse")).statusCode()).isEqualTo(401);
    }

    @Test void loginThenPushAndPullWithTheTokens() throws Exception {
        serve();
        // docker login: GET /v2/ -> 401, token without scope (offline), GET /v2/ with it -> 200
        JsonNode login = token("service=test-registry&offline_token=true&client_id=docker&account=alice", basic("alice", "correct horse"));
        assertThat(login.path("token").asText()).isEqualTo(login.path("access_token").asText());
        assertThat(login.path("expires_in").asLong()).isEqualTo(300);
        assertThat(Instant.parse(login.path("issued_at").asText())).isEqualTo(clock.now);
        assertThat(login.path("refresh_token").asText()).isNotEmpty();
        assertThat(send("GET", "/v2/", "Bearer " + login.path("token").asText()).statusCode()).isEqualTo(200);

        String push = tokenFor("alice", "correct horse", "repository:team/app:pull,push");
        assertThat(claims(push).path("access").toString()).isEqualTo("[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull\",\"push\"]}]");
        assertThat(claims(push).path("sub").asText()).isEqualTo("alice");
        assertThat(claims(push).path("aud").asText()).isEqualTo("test-registry");
        HttpResponse<String> put = send("PUT", "/v2/team/app/manifests/latest", "Bearer " + push);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).contains("\"subject\":\"alice\"");
        assertThat(send("GET", "/v2/team/app/manifests/latest", "Bearer " + push).statusCode()).isEqualTo(200);
        // delete was not asked for: a new token is needed (and alice may not have one for team/app)
        HttpResponse<String> del = send("DELETE", "/v2/team/app/manifests/latest", "Bearer " + push);
        assertThat(del.statusCode()).isEqualTo(403);
        assertThat(del.body()).contains("DENIED");
    }

    @Test void scopesAreIntersectedWithTheRules() throws Exception {
        serve();
        // several scope parameters, one of them space-separated; bob may only pull team/*, nothing of alice/*
        String t = tokenFor("bob", "hunter2", "repository:team/app:pull,push repository:alice/private:pull", "repository:team/web:*");
        assertThat(claims(t).path("access").toString()).isEqualTo(
                "[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull\"]},{\"type\":\"repository\",\"name\":\"team/web\",\"actions\":[\"pull\"]}]");
        assertThat(send("GET", "/v2/team/app/manifests/latest", "Bearer " + t).statusCode()).isEqualTo(200);
        // push is not his: DENIED, as is another user's repository
        assertThat(send("PUT", "/v2/team/app/manifests/latest", "Bearer " + t).statusCode()).isEqualTo(403);
        HttpResponse<String> other = send("GET", "/v2/alice/private/manifests/latest", "Bearer " + t);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("DENIED");
        // hostile names get nothing
        String bad = tokenFor("alice", "correct horse", "repository:../alice/x:pull", "repository:ALICE/x:pull");
        assertThat(claims(bad).path("access").size()).isZero();
    }

    @Test void aTokenForAnotherRepositoryAsksForANewOne() throws Exception {
        serve();
        String t = tokenFor("alice", "correct horse", "repository:team/app:pull");
        HttpResponse<String> r = send("GET", "/v2/alice/private/manifests/latest", "Bearer " + t);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("scope=\"repository:alice/private:pull\"").contains("error=\"insufficient_scope\"");
        assertThat(send("PUT", "/v2/team/app/manifests/latest", "Bearer " + t).statusCode()).isEqualTo(401);
    }

    @Test void anonymousTokensGetWhatAnonymousMay() throws Exception {
        serve();
        String t = tokenFor(null, null, "repository:team/app:pull,push", "repository:alice/x:pull");
        assertThat(claims(t).path("sub").asText()).isEmpty();
        assertThat(claims(t).path("access").toString()).isEqualTo("[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull\"]}]");
        assertThat(send("GET", "/v2/team/app/manifests/latest", "Bearer " + t).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v2/team/app/manifests/latest", "Bearer " + t).body()).contains("\"subject\":\"\"");
        // no refresh token for anonymous, even offline
        assertThat(token("service=test-registry&offline_token=true", null).has("refresh_token")).isFalse();
        // anonymous is asked to log in (401), not denied
        HttpResponse<String> r = send("PUT", "/v2/team/app/manifests/latest", "Bearer " + t);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v2/alice/x/manifests/latest", "Bearer " + t).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v2/_catalog", "Bearer " + t).statusCode()).isEqualTo(401);
    }

    @Test void anonymousPullEverywhereWithTheFlagAndNoRules() throws Exception {
        serve(AuthOptions.none(dir).withHtpasswd(dir.resolve("htpasswd")).withAnonymousPull(true)
                .withTokenRealm("http://127.0.0.1:1/token", null));
        String t = token("scope=" + q("repository:any/thing:pull,push"), null).path("token").asText();
        assertThat(claims(t).path("aud").asText()).isEqualTo(AuthOptions.DEFAULT_SERVICE);
        assertThat(claims(t).path("access").toString()).contains("[\"pull\"]");
        assertThat(send("GET", "/v2/any/thing/manifests/latest", "Bearer " + t).statusCode()).isEqualTo(200);
        String bob = token("scope=" + q("repository:any/thing:pull,push,delete"), basic("bob", "hunter2")).path("token").asText();
        assertThat(send("DELETE", "/v2/any/thing/manifests/latest", "Bearer " + bob).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v2/_catalog", "Bearer " + token("scope=" + q("registry:catalog:*"), basic("bob", "hunter2")).path("token").asText()).statusCode()).isEqualTo(200);
    }

    @Test void wrongPasswordsAndServicesGetNoToken() throws Exception {
        serve();
        HttpResponse<String> r = send("GET", "/token?service=test-registry", basic("alice", "wrong"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("UNAUTHORIZED");
        assertThat(send("GET", "/token?service=test-registry", basic("mallory", "x")).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/token?service=test-registry", "Basic garbage").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/token?service=other", basic("alice", "correct horse")).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/token?scope=nonsense", null).statusCode()).isEqualTo(400);
    }

    @Test void forgedExpiredAndForeignTokensAreRefused() throws Exception {
        serve();
        String good = tokenFor("alice", "correct horse", "repository:team/app:pull");
        String[] parts = good.split("\\.");
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
        // claims edited to bob's other repository, signature kept
        String edited = parts[0] + "." + enc.encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("team/app", "alice/x").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        // alg none, no signature
        String none = enc.encodeToString("{\"typ\":\"JWT\",\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        // the same claims signed by another key
        TokenAuthority stranger = new TokenAuthority(SigningKey.generate(), "test-registry", "test-registry", Duration.ofMinutes(5), Duration.ofDays(1), clock);
        String foreignKey = stranger.issueAccess("alice", List.of(Scope.repository("team/app", "pull")), clock.now);
        // our key, another service
        SigningKey ours = SigningKey.load(dir.resolve(RegistryAuth.KEY_FILE));
        String otherService = new TokenAuthority(ours, "test-registry", "elsewhere", Duration.ofMinutes(5), Duration.ofDays(1), clock)
                .issueAccess("alice", List.of(Scope.repository("team/app", "pull")), clock.now);
        String otherIssuer = new TokenAuthority(ours, "someone", "test-registry", Duration.ofMinutes(5), Duration.ofDays(1), clock)
                .issueAccess("alice", List.of(Scope.repository("team/app", "pull")), clock.now);
        String refreshAsAccess = token("service=test-registry&offline_token=true", basic("alice", "correct horse")).path("refresh_token").asText();
        for (String bad : List.of(edited, none, foreignKey, otherService, otherIssuer, refreshAsAccess, "garbage", "a.b.c", parts[0] + "." + parts[1])) {
            HttpResponse<String> r = send("GET", "/v2/team/app/manifests/latest", "Bearer " + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).as(bad).contains("error=\"invalid_token\"");
        }
        assertThat(send("GET", "/v2/team/app/manifests/latest", "Bearer " + good).statusCode()).isEqualTo(200);
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        HttpResponse<String> expired = send("GET", "/v2/team/app/manifests/latest", "Bearer " + good);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
        clock.now = clock.now.minus(Duration.ofMinutes(10));
        assertThat(send("GET", "/v2/team/app/manifests/latest", "Bearer " + good).statusCode()).as("not yet valid").isEqualTo(401);
    }

    @Test void oauthPasswordAndRefreshGrants() throws Exception {
        serve();
        String form = "grant_type=password&username=alice&password=" + q("correct horse") + "&service=test-registry&client_id=docker"
                + "&access_type=offline&scope=" + q("repository:team/app:pull,push repository:alice/x:pull");
        JsonNode r = JSON.readTree(post(form, 200));
        assertThat(claims(r.path("access_token").asText()).path("access").size()).isEqualTo(2);
        String refresh = r.path("refresh_token").asText();
        assertThat(refresh).isNotEmpty();
        JsonNode again = JSON.readTree(post("grant_type=refresh_token&refresh_token=" + q(refresh) + "&service=test-registry&client_id=docker"
                + "&scope=" + q("repository:alice/x:pull,push"), 200));
        assertThat(claims(again.path("access_token").asText()).path("sub").asText()).isEqualTo("alice");
        assertThat(claims(again.path("access_token").asText()).path("access").toString()).contains("alice/x").contains("push");
        post("grant_type=password&username=alice&password=wrong&service=test-registry", 401);
        post("grant_type=refresh_token&refresh_token=" + q(tokenFor("alice", "correct horse")), 401); // an access token is no refresh token
        post("grant_type=client_credentials", 401);
        // a changed password revokes the refresh token; a removed user too
        Files.writeString(dir.resolve("htpasswd"), "alice:" + HtpasswdTest.BOB.substring(4) + "\n");
        serve(AuthOptions.none(dir).withHtpasswd(dir.resolve("htpasswd")).withAccessFile(dir.resolve("access.json"))
                .withTokenRealm("http://127.0.0.1:1/token", "test-registry"));
        post("grant_type=refresh_token&refresh_token=" + q(refresh) + "&service=test-registry", 401);
        // the key survived the restart: tokens of the first run still verify
        assertThat(send("GET", "/v2/alice/x/manifests/latest", "Bearer " + again.path("access_token").asText()).statusCode()).isEqualTo(200);
    }

    String post(String form, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r.body();
    }

    @Test void keyIsGeneratedOnceUnderTheRootWithMode0600() throws Exception {
        serve();
        Path key = dir.resolve(RegistryAuth.KEY_FILE);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        String before = Files.readString(key);
        serve();
        assertThat(Files.readString(key)).isEqualTo(before);
        assertThat(claims(tokenFor("alice", "correct horse")).path("iss").asText()).isEqualTo("test-registry");
        assertThat(new String(Base64.getUrlDecoder().decode(tokenFor("alice", "correct horse").split("\\.")[0]), StandardCharsets.UTF_8))
                .contains("\"alg\":\"ES256\"");
    }
}
