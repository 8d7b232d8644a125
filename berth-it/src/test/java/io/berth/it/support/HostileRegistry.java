package io.berth.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A registry of the tests' own on {@code 127.0.0.1:<free port>} (the JDK's HTTPS server with a self-signed
 * certificate, which berthd accepts for an insecure loopback registry as dockerd does, or {@link #plainHttp}) that
 * speaks just enough of
 * the distribution API for a pull ({@code GET /v2/}, manifests, blobs) and answers whatever the test tells it to:
 * wrong bytes, wrong lengths, endless bodies, redirects. With {@link #requireBasic} {@code /v2/} answers 401 Basic to a
 * request without those credentials (so that {@code docker login} stores them). It records the {@code Authorization}
 * header of every request it gets ({@link #requests}).
 */
public final class HostileRegistry implements AutoCloseable {
    /** Writes a response to a request. */
    @FunctionalInterface
    public interface Responder {
        void respond(HttpExchange x) throws IOException;
    }

    /** One request: its method, path and Authorization header ("" without one). */
    public record Request(String method, String path, String authorization) {}

    private static final char[] STORE_PASSWORD = "berth-it".toCharArray();
    private static SSLContext tls;

    private final HttpServer server;
    private final Map<String, Responder> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String basic;

    /** Over HTTPS: berthd's first try for a loopback registry, so no fallback from a TLS handshake that times out. */
    public HostileRegistry() {
        this(true);
    }

    private HostileRegistry(boolean https) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (https) {
                HttpsServer s = HttpsServer.create(address, 16);
                s.setHttpsConfigurator(new HttpsConfigurator(context()));
                server = s;
            } else {
                server = HttpServer.create(address, 16);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Over plain HTTP. */
    public static HostileRegistry plainHttp() {
        return new HostileRegistry(false);
    }

    /** One self-signed key for all instances, made by the JDK's keytool in a temporary file read back at once. */
    private static synchronized SSLContext context() throws IOException {
        if (tls != null) return tls;
        Path dir = Files.createTempDirectory("berth-it-hostile-");
        try {
            Path store = dir.resolve("key.p12");
            new Cmd(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                    "-keyalg", "EC", "-alias", "hostile", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(STORE_PASSWORD))).run().ok();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, STORE_PASSWORD);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, STORE_PASSWORD);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), null, null);
            tls = c;
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            BerthDaemon.deleteTree(dir);
        }
    }

    /** {@code 127.0.0.1:<port>}. */
    public String host() { return "127.0.0.1:" + server.getAddress().getPort(); }

    /** {@code /v2/} answers 401 with a Basic challenge unless the request carries these credentials. */
    public void requireBasic(String user, String password) {
        basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Answers {@code path} (e.g. {@code /v2/app/manifests/v1}) with {@code responder}. */
    public void route(String path, Responder responder) { routes.put(path, responder); }

    /** Serves a manifest (with its media type and the digest header claiming {@code digest}) at {@code path}. */
    public void manifest(String path, String mediaType, String digest, byte[] body) {
        route(path, x -> {
            x.getResponseHeaders().set("Content-Type", mediaType);
            x.getResponseHeaders().set("Docker-Content-Digest", digest);
            send(x, 200, body, body.length);
        });
    }

    /** The requests received so far. */
    public List<Request> requests() { return List.copyOf(requests); }

    /** Sends {@code body} with {@code contentLength} declared (0: chunked); a client that hangs up ends it quietly. */
    public static void send(HttpExchange x, int status, byte[] body, long contentLength) throws IOException {
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, head ? -1 : contentLength);
        if (head || contentLength < 0) return;
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** {@code body}, then zeros for ever (chunked), until the client hangs up. */
    public static Responder endless(byte[] body) {
        return x -> {
            x.sendResponseHeaders(200, 0);
            byte[] zeros = new byte[64 << 10];
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
                while (true) out.write(zeros);
            } catch (IOException clientHungUp) {
                // what the test wants: the client stopped reading
            }
        };
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String auth = x.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(x.getRequestMethod(), path, auth == null ? "" : auth));
            x.getRequestBody().readAllBytes();
            x.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
            if (path.equals("/v2/") || path.equals("/v2")) {
                if (basic != null && !basic.equals(auth)) {
                    x.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"hostile\"");
                    send(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
                            .getBytes(StandardCharsets.UTF_8), 0);
                    return;
                }
                send(x, 200, "{}".getBytes(StandardCharsets.UTF_8), 2);
                return;
            }
            Responder r = routes.get(path);
            if (r == null) {
                x.getResponseHeaders().set("Content-Type", "application/json");
                byte[] body = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}".getBytes(StandardCharsets.UTF_8);
                send(x, 404, body, body.length);
                return;
            }
            r.respond(x);
        }
    }

    @Override public void close() { server.stop(0); }
}
