package io.berth.engine.distribution;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.berth.api.Json;
import io.berth.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An in-process registry on loopback for the client's tests: the distribution API's manifests, blobs (with Range),
 * uploads (monolithic and chunked, mounts), tag lists with Link pagination; no auth, Basic, or Bearer tokens from its
 * own {@code /token} endpoint (opaque tokens, anonymous pull of public repositories, refresh tokens through
 * {@code POST}). {@link #override} replaces any answer, to play a hostile registry. Every request is recorded.
 */
final class FakeRegistryServer implements AutoCloseable {
    enum AuthMode { NONE, BASIC, TOKEN }

    /** A request as the server saw it. */
    record Seen(String method, String path, String query, String authorization, Map<String, String> headers) {}

    /** Answers one request instead of the registry; returns false to let the registry answer. */
    @FunctionalInterface
    interface Override {
        boolean handle(HttpExchange exchange) throws IOException;
    }

    private record Stored(String mediaType, byte[] body) {}

    private record Grant(String account, Set<String> scopes) {}

    final List<Seen> requests = new CopyOnWriteArrayList<>();
    final List<Seen> tokenRequests = new CopyOnWriteArrayList<>();
    final Map<String, Map<String, Stored>> manifests = new ConcurrentHashMap<>();
    final Map<String, Map<String, byte[]>> blobs = new ConcurrentHashMap<>();
    final Set<String> publicRepositories = ConcurrentHashMap.newKeySet();
    volatile AuthMode auth = AuthMode.NONE;
    volatile String user = "alice";
    volatile String password = "secret";
    volatile boolean oauthPost = true;
    volatile boolean accessTokenField;
    volatile int tagPageSize = 100;
    volatile Override override = e -> false;

    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final String scheme;

    private FakeRegistryServer(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.createContext("/", this::dispatch);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    static FakeRegistryServer http() throws IOException {
        return new FakeRegistryServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "http");
    }

    static FakeRegistryServer https(HttpsConfigurator tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.setHttpsConfigurator(tls);
        return new FakeRegistryServer(s, "https");
    }

    int port() { return server.getAddress().getPort(); }

    /** {@code 127.0.0.1:<port>}: the registry's domain in references. */
    String host() { return "127.0.0.1:" + port(); }

    String base() { return scheme + "://" + host(); }

    Digest putBlob(String repository, byte[] data) {
        Digest d = Digest.of(data);
        blobs.computeIfAbsent(repository, r -> new ConcurrentHashMap<>()).put(d.toString(), data);
        return d;
    }

    Digest putManifest(String repository, String tag, String mediaType, byte[] body) {
        Digest d = Digest.of(body);
        Map<String, Stored> m = manifests.computeIfAbsent(repository, r -> new ConcurrentHashMap<>());
        m.put(d.toString(), new Stored(mediaType, body));
        if (tag != null) m.put(tag, new Stored(mediaType, body));
        return d;
    }

    byte[] blob(String repository, Digest d) {
        return blobs.getOrDefault(repository, Map.of()).get(d.toString());
    }

    long count(String method, String pathPart) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).count();
    }

    @java.lang.Override public void close() { server.stop(0); }

    private void dispatch(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            String query = x.getRequestURI().getRawQuery();
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            x.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
            Seen seen = new Seen(x.getRequestMethod(), path, query, x.getRequestHeaders().getFirst("Authorization"), headers);
            if (path.equals("/token")) {
                tokenRequests.add(seen);
                token(x, query);
                return;
            }
            requests.add(seen);
            if (override.handle(x)) return;
            route(x, path, query == null ? "" : query);
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private void route(HttpExchange x, String path, String query) throws IOException {
        if (path.equals("/v2/") || path.equals("/v2")) {
            if (authorized(x, null, false)) send(x, 200, "application/json", "{}".getBytes());
            return;
        }
        int kind;
        String[] markers = {"/manifests/", "/blobs/uploads/", "/blobs/", "/tags/list"};
        int at = -1;
        for (kind = 0; kind < markers.length; kind++) {
            at = path.indexOf(markers[kind]);
            if (at > 0) break;
        }
        if (at <= 0) {
            error(x, 404, "UNSUPPORTED", "no such route");
            return;
        }
        String repo = path.substring(4, at);
        String rest = path.substring(at + markers[kind].length());
        String method = x.getRequestMethod();
        boolean write = !method.equals("GET") && !method.equals("HEAD");
        Map<String, String> q = query(query);
        String from = q.get("from");
        if (!authorized(x, repo, write)) return;
        if (from != null && !authorized(x, from, false)) return;
        switch (kind) {
            case 0 -> manifest(x, repo, rest);
            case 1 -> upload(x, repo, rest, q);
            case 2 -> blob(x, repo, rest);
            default -> tags(x, repo, q);
        }
    }

    private void manifest(HttpExchange x, String repo, String reference) throws IOException {
        Map<String, Stored> m = manifests.get(repo);
        if (x.getRequestMethod().equals("PUT")) {
            byte[] body = x.getRequestBody().readAllBytes();
            String type = x.getRequestHeaders().getFirst("Content-Type");
            Digest d = putManifest(repo, Digest.isDigest(reference) ? null : reference, type, body);
            x.getResponseHeaders().add("Docker-Content-Digest", d.toString());
            x.getResponseHeaders().add("Location", "/v2/" + repo + "/manifests/" + d);
            send(x, 201, null, new byte[0]);
            return;
        }
        if (m == null) {
            error(x, 404, "NAME_UNKNOWN", "repository name not known to registry");
            return;
        }
        Stored s = m.get(reference);
        if (s == null) {
            error(x, 404, "MANIFEST_UNKNOWN", "manifest unknown");
            return;
        }
        x.getResponseHeaders().add("Docker-Content-Digest", Digest.of(s.body()).toString());
        send(x, 200, s.mediaType(), s.body());
    }

    private void blob(HttpExchange x, String repo, String digest) throws IOException {
        byte[] data = blob(repo, Digest.parse(digest));
        if (data == null) {
            error(x, 404, "BLOB_UNKNOWN", "blob unknown to registry");
            return;
        }
        x.getResponseHeaders().add("Docker-Content-Digest", digest);
        String range = x.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=")) {
            int from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
            send(x, 206, "application/octet-stream", java.util.Arrays.copyOfRange(data, from, data.length));
            return;
        }
        send(x, 200, "application/octet-stream", data);
    }

    private void upload(HttpExchange x, String repo, String id, Map<String, String> q) throws IOException {
        String method = x.getRequestMethod();
        if (method.equals("POST") && id.isEmpty()) {
            String mount = q.get("mount");
            if (mount != null && q.get("from") != null && blob(q.get("from"), Digest.parse(mount)) != null) {
                putBlob(repo, blob(q.get("from"), Digest.parse(mount)));
                x.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/" + mount);
                send(x, 201, null, new byte[0]);
                return;
            }
            String uuid = UUID.randomUUID().toString();
            uploads.put(uuid, new ByteArrayOutputStream());
            x.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/uploads/" + uuid + "?_state=s" + uuid.substring(0, 4));
            x.getResponseHeaders().add("Range", "0-0");
            send(x, 202, null, new byte[0]);
            return;
        }
        ByteArrayOutputStream buffer = uploads.get(id);
        if (buffer == null) {
            error(x, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");
            return;
        }
        switch (method) {
            case "PATCH" -> {
                buffer.write(x.getRequestBody().readAllBytes());
                x.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/uploads/" + id + "?_state=p" + buffer.size());
                x.getResponseHeaders().add("Range", "0-" + (buffer.size() - 1));
                send(x, 202, null, new byte[0]);
            }
            case "PUT" -> {
                buffer.write(x.getRequestBody().readAllBytes());
                Digest expected = Digest.parse(q.get("digest"));
                byte[] data = buffer.toByteArray();
                if (!Digest.of(data).equals(expected)) {
                    error(x, 400, "DIGEST_INVALID", "provided digest did not match uploaded content");
                    return;
                }
                uploads.remove(id);
                putBlob(repo, data);
                x.getResponseHeaders().add("Docker-Content-Digest", expected.toString());
                x.getResponseHeaders().add("Location", "/v2/" + repo + "/blobs/" + expected);
                send(x, 201, null, new byte[0]);
            }
            case "DELETE" -> {
                uploads.remove(id);
                send(x, 204, null, new byte[0]);
            }
            default -> error(x, 405, "UNSUPPORTED", "method not allowed");
        }
    }

    private void tags(HttpExchange x, String repo, Map<String, String> q) throws IOException {
        Map<String, Stored> m = manifests.get(repo);
        if (m == null) {
            error(x, 404, "NAME_UNKNOWN", "repository name not known to registry");
            return;
        }
        List<String> all = m.keySet().stream().filter(t -> !Digest.isDigest(t)).sorted().toList();
        String last = q.get("last");
        List<String> after = last == null ? all : all.stream().filter(t -> t.compareTo(last) > 0).toList();
        List<String> page = after.subList(0, Math.min(tagPageSize, after.size()));
        if (page.size() < after.size()) {
            x.getResponseHeaders().add("Link", "</v2/" + repo + "/tags/list?n=" + tagPageSize + "&last=" + page.getLast() + ">; rel=\"next\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", repo);
        body.put("tags", page);
        send(x, 200, "application/json", Json.plain().writeValueAsBytes(body));
    }

    private boolean authorized(HttpExchange x, String repo, boolean write) throws IOException {
        String header = x.getRequestHeaders().getFirst("Authorization");
        switch (auth) {
            case NONE -> { return true; }
            case BASIC -> {
                if (validBasic(header)) return true;
                x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake-registry\"");
                error(x, 401, "UNAUTHORIZED", "authentication required");
                return false;
            }
            default -> {
                String need = repo == null ? null : "repository:" + repo + ":" + (write ? "push" : "pull");
                Grant grant = header != null && header.startsWith("Bearer ") ? tokens.get(header.substring(7)) : null;
                if (grant != null && (need == null || grant.scopes().contains(need))) return true;
                String challenge = "Bearer realm=\"" + base() + "/token\",service=\"fake-registry\""
                        + (repo == null ? "" : ",scope=\"repository:" + repo + ":" + (write ? "pull,push" : "pull") + "\"")
                        + (grant != null ? ",error=\"insufficient_scope\"" : "");
                x.getResponseHeaders().add("WWW-Authenticate", challenge);
                error(x, 401, "UNAUTHORIZED", "authentication required");
                return false;
            }
        }
    }

    private boolean validBasic(String header) {
        if (header == null || !header.startsWith("Basic ")) return false;
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        return decoded.equals(user + ":" + password);
    }

    private void token(HttpExchange x, String rawQuery) throws IOException {
        String account = null;
        Map<String, List<String>> params;
        if (x.getRequestMethod().equals("POST")) {
            if (!oauthPost) {
                send(x, 404, "text/plain", "404 page not found".getBytes());
                return;
            }
            params = multi(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String refresh = first(params, "refresh_token");
            account = refresh == null ? null : refreshTokens.get(refresh);
            if (account == null) {
                send(x, 401, "application/json", "{\"details\":\"invalid refresh token\"}".getBytes());
                return;
            }
            List<String> scopes = new ArrayList<>();
            String scope = first(params, "scope");
            if (scope != null && !scope.isEmpty()) scopes.addAll(List.of(scope.split(" ")));
            params.put("scope", scopes);
        } else {
            params = multi(rawQuery == null ? "" : rawQuery);
            String header = x.getRequestHeaders().getFirst("Authorization");
            if (header != null) {
                if (!validBasic(header)) {
                    send(x, 401, "application/json", "{\"details\":\"incorrect username or password\"}".getBytes());
                    return;
                }
                account = user;
            }
        }
        Set<String> granted = ConcurrentHashMap.newKeySet();
        for (String scope : params.getOrDefault("scope", List.of())) {
            String[] parts = scope.split(":");
            if (parts.length != 3) continue;
            for (String action : parts[2].split(",")) {
                if (account != null || (action.equals("pull") && publicRepositories.contains(parts[1]))) {
                    granted.add(parts[0] + ":" + parts[1] + ":" + action);
                }
            }
        }
        String token = "tok-" + UUID.randomUUID();
        tokens.put(token, new Grant(account, granted));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(accessTokenField ? "access_token" : "token", token);
        body.put("expires_in", 300);
        body.put("issued_at", Instant.now().toString());
        if (account != null && ("true".equals(first(params, "offline_token")) || x.getRequestMethod().equals("POST"))) {
            String refresh = "refresh-" + UUID.randomUUID();
            refreshTokens.put(refresh, account);
            body.put("refresh_token", refresh);
        }
        send(x, 200, "application/json", Json.plain().writeValueAsBytes(body));
    }

    static void error(HttpExchange x, int status, String code, String message) throws IOException {
        byte[] body = ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"detail\":null}]}").getBytes();
        send(x, status, "application/json", body);
    }

    static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        if (type != null) x.getResponseHeaders().add("Content-Type", type);
        boolean head = x.getRequestMethod().equals("HEAD");
        if (head) {
            x.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
            x.sendResponseHeaders(status, -1);
            return;
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        multi(raw).forEach((k, v) -> out.put(k, v.getFirst()));
        return out;
    }

    private static Map<String, List<String>> multi(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, key -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }
}
