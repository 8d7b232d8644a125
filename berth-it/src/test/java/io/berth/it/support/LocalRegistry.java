package io.berth.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Debian's {@code docker-registry} (distribution 2.8) on {@code 127.0.0.1:<free port>} with filesystem storage in a
 * temporary directory: {@link #plain()}, {@link #htpasswd} (bcrypt, made by {@code htpasswd -B}) or {@link #token}
 * (a {@link TokenServer} of the tests' own signs the registry's Bearer tokens). It is ready once it logs
 * "listening on"; {@link #close()} stops it by its PID and deletes its directory. Loopback is insecure by default in
 * dockerd and berthd, so clients reach it over plain HTTP. {@link #seed} copies an image into it with skopeo,
 * independently of Berth.
 */
public final class LocalRegistry implements RegistryUnderTest {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final String user;
    private final String password;
    private final TokenServer tokens;
    private final int port;
    private final Path config;
    private Process process;
    private final StringBuffer log = new StringBuffer();

    /** How clients authenticate. */
    public enum Auth { NONE, HTPASSWD, TOKEN }

    private LocalRegistry(Auth auth, String user, String password) {
        try {
            dir = Files.createTempDirectory("berth-it-registry-");
            this.user = user;
            this.password = password;
            port = freePort();
            String authYaml = "";
            TokenServer ts = null;
            switch (auth) {
                case NONE -> { }
                case HTPASSWD -> {
                    String line = Cmd.of("htpasswd", "-Bbn", user, password).run().ok().out().strip();
                    Files.writeString(dir.resolve("htpasswd"), line + "\n");
                    authYaml = "auth:\n  htpasswd:\n    realm: berth-test-realm\n    path: " + dir.resolve("htpasswd") + "\n";
                }
                case TOKEN -> {
                    ts = new TokenServer(dir, user, password);
                    authYaml = "auth:\n  token:\n    realm: " + ts.realm() + "\n    service: " + TokenServer.SERVICE
                            + "\n    issuer: " + TokenServer.ISSUER + "\n    rootcertbundle: " + ts.certificate() + "\n";
                }
            }
            tokens = ts;
            config = dir.resolve("config.yml");
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: info
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                      secret: berth-it-secret
                    %s""".formatted(dir.resolve("storage"), port, authYaml));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry", e);
        }
        launch();
    }

    /** Starts docker-registry on the configuration and waits until it logs "listening on". */
    private void launch() {
        try {
            process = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry", e);
        }
        Process p = process;
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.append(line).append('\n');
                    if (line.contains("listening on")) ready.complete(null);
                }
            } catch (IOException ignored) {
                // the registry is gone
            }
            ready.completeExceptionally(new IllegalStateException("docker-registry exited"));
        });
        try {
            ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            close();
            throw new AssertionError("docker-registry did not start: " + e + "\n" + log, e);
        }
    }

    /** SIGKILLs the registry process (a registry that dies); {@link #restart} brings it back on the same port and storage. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("docker-registry " + process.pid() + " survived SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts the registry again after {@link #kill}, on the same port, storage and configuration. */
    public void restart() {
        if (process.isAlive()) throw new IllegalStateException("docker-registry " + process.pid() + " is still running");
        launch();
    }

    /** A registry without authentication. */
    public static LocalRegistry plain() { return new LocalRegistry(Auth.NONE, null, null); }

    /** A registry with Basic authentication of one user (bcrypt htpasswd). */
    public static LocalRegistry htpasswd(String user, String password) { return new LocalRegistry(Auth.HTPASSWD, user, password); }

    /** A registry with Bearer tokens from the tests' own token server, which knows one user. */
    public static LocalRegistry token(String user, String password) { return new LocalRegistry(Auth.TOKEN, user, password); }

    /** {@code 127.0.0.1:<port>}: the registry part of image references. */
    @Override public String host() { return "127.0.0.1:" + port; }

    public int port() { return port; }

    @Override public URI base() { return URI.create("http://" + host()); }

    /** The token server, or null without token auth. */
    public TokenServer tokenServer() { return tokens; }

    /** What the registry logged so far. */
    @Override public String log() { return log.toString(); }

    /** Copies {@code source} (e.g. {@code docker-archive:/x.tar}, {@code oci-archive:/x.tar}) to {@code <host>/<repoTag>}. */
    public void seed(String source, String repoTag, String... extraArgs) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false"));
        if (user != null) cmd.addAll(List.of("--dest-creds", user + ":" + password));
        cmd.addAll(List.of(extraArgs));
        cmd.add(source);
        cmd.add("docker://" + host() + "/" + repoTag);
        new Cmd(cmd).timeout(Duration.ofSeconds(120)).run().ok();
    }

    /** {@code GET /v2/<path>} as the configured user (Basic or a token for {@code scopes}); status and body. */
    public HttpResponse<String> get(String path, String accept, String... scopes) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + path)).timeout(Duration.ofSeconds(30));
        if (accept != null) b.header("Accept", accept);
        authorize(b, scopes);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Uploads {@code content} as a blob of {@code repo} (a session, then one PUT); returns its digest. */
    public String putBlob(String repo, byte[] content) {
        String digest = sha256(content);
        String scope = "repository:" + repo + ":pull,push";
        HttpResponse<byte[]> session = send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()), 202, scope);
        URI location = session.uri().resolve(session.headers().firstValue("Location").orElseThrow());
        String sep = location.getRawQuery() == null ? "?" : "&";
        send(HttpRequest.newBuilder(URI.create(location + sep + "digest=" + digest)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), 201, scope);
        return digest;
    }

    /** Stores a manifest or index under {@code repo:reference}; returns its digest. */
    public String putManifest(String repo, String reference, String mediaType, byte[] content) {
        send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repo + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(content)), 201,
                "repository:" + repo + ":pull,push");
        return sha256(content);
    }

    /** {@code GET /v2/<path>} as bytes (a blob or manifest), as the configured user. */
    public byte[] getBytes(String path, String accept, String... scopes) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + path));
        if (accept != null) b.header("Accept", accept);
        return send(b.GET(), 200, scopes).body();
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b, int expected, String... scopes) {
        authorize(b, scopes);
        try {
            HttpResponse<byte[]> r = HTTP.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != expected) {
                throw new AssertionError(r.request().method() + " " + r.uri() + ": " + r.statusCode() + " "
                        + new String(r.body(), StandardCharsets.UTF_8));
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void authorize(HttpRequest.Builder b, String... scopes) {
        if (tokens != null) b.header("Authorization", "Bearer " + tokens.tokenFor(List.of(scopes)));
        else if (user != null) b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private static String sha256(byte[] b) {
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest the registry serves for {@code repo:reference} (its {@code Docker-Content-Digest}), or null if absent. */
    public String manifestDigest(String repo, String reference) {
        HttpResponse<String> r = get(repo + "/manifests/" + reference, String.join(",",
                "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json",
                "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json"), "repository:" + repo + ":pull");
        return r.statusCode() == 200 ? r.headers().firstValue("Docker-Content-Digest").orElse(null) : null;
    }

    /** The tags of {@code repo}, as the registry's JSON. */
    public String tags(String repo) {
        return get(repo + "/tags/list", null, "repository:" + repo + ":pull").body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops the registry by its PID, then the token server, and deletes the directory. */
    @Override public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
        if (tokens != null) tokens.close();
        try {
            BerthDaemon.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
