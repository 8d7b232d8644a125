package io.berth.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.ApiVersion;
import io.berth.api.Json;
import io.berth.api.build.BuildSecretsHeader;
import io.berth.api.registry.RegistryAuthHeader;
import io.berth.http.Headers;
import io.berth.http.HttpCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A client of the Docker Engine API. Each request opens its own connection; the API version is
 * negotiated once with {@code /_ping} ({@code min(server Api-Version, 1.47)}).
 */
public final class BerthClient {
    private final DaemonHost host;
    private final String userAgent;
    private volatile ApiVersion version;

    public BerthClient(DaemonHost host) { this(host, "Berth-Client/0.1.0"); }

    public BerthClient(DaemonHost host, String userAgent) {
        this.host = host;
        this.userAgent = userAgent;
    }

    public DaemonHost host() { return host; }

    /** Pings the daemon (once) and returns the API version used for requests. */
    public ApiVersion apiVersion() {
        ApiVersion v = version;
        if (v == null) {
            v = ApiVersion.CURRENT;
            try (HttpResponse r = send("GET", "/_ping", null, null)) {
                String server = r.header("Api-Version");
                if (server != null) {
                    try {
                        ApiVersion s = ApiVersion.parse(server);
                        if (s.compareTo(v) < 0) v = s;
                    } catch (IllegalArgumentException ignored) {
                        // keep our own version
                    }
                }
                r.body().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            version = v;
        }
        return v;
    }

    /** Builds {@code /v1.47/path?query} with the negotiated version. */
    public String path(String path, Query query) {
        return "/v" + apiVersion() + path + (query == null ? "" : query.toString());
    }

    // ---- request primitives ----

    /** Sends a request and returns the response, whatever its status. */
    public HttpResponse send(String method, String target, Map<String, String> extraHeaders, InputStream body) throws IOException {
        return begin(method, target, extraHeaders, body).await();
    }

    /**
     * Writes a request (head and body) and returns without reading the response, so that a
     * long-poll such as {@code POST /containers/{id}/wait} is known to be registered before the
     * next request is sent.
     */
    public PendingResponse begin(String method, String target, Map<String, String> extraHeaders, InputStream body) throws IOException {
        SocketChannel ch = connect();
        try {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
            Headers headers = new Headers().set("Host", host.hostHeader()).set("User-Agent", userAgent);
            if (extraHeaders != null) extraHeaders.forEach(headers::set);
            if (body != null) {
                if (!headers.has("Content-Type")) headers.set("Content-Type", "application/octet-stream");
                headers.set("Transfer-Encoding", "chunked");
            }
            HttpCodec.writeRequestHead(out, method, target, headers);
            if (body != null) HttpCodec.writeChunked(out, body);
            out.flush();
            return new PendingResponse(method, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private SocketChannel connect() {
        try {
            if (host.address() instanceof InetSocketAddress isa) {
                return SocketChannel.open(new InetSocketAddress(isa.getHostString(), isa.getPort()));
            }
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(host.address());
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return ch;
        } catch (IOException e) {
            throw new DaemonUnavailableException(host.uri(), e);
        }
    }

    /** A request that has been written; {@link #await()} reads the response head. */
    public static final class PendingResponse implements java.io.Closeable {
        private final String method;
        private final SocketChannel ch;
        private HttpResponse response;

        PendingResponse(String method, SocketChannel ch) {
            this.method = method;
            this.ch = ch;
        }

        public HttpResponse await() throws IOException {
            if (response != null) return response;
            try {
                InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
                HttpCodec.ResponseHead head = HttpCodec.readResponseHead(in);
                response = new HttpResponse(head, HttpCodec.responseBody(head, method, in), ch);
                return response;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        /**
         * Reads the response head now, for requests whose head the daemon sends before their body is ready ({@code wait}
         * answers at once, then when the condition holds): what the caller does next on another connection then comes
         * after the daemon took this request in. A later {@link #await()} returns the same response.
         */
        public PendingResponse headReceived() throws IOException {
            await();
            return this;
        }

        /** Like {@link #await()} but throws {@link ApiException} unless the status is 2xx. */
        public HttpResponse awaitOk() {
            try {
                HttpResponse r = await();
                if (r.status() >= 200 && r.status() < 300) return r;
                throw new ApiException(r.status(), errorMessage(r, r.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public void close() throws IOException { ch.close(); }
    }

    /**
     * Opens a hijacked connection ({@code POST /containers/{id}/attach}, {@code POST /exec/{id}/start}):
     * sends {@code Connection: Upgrade, Upgrade: tcp} and, after a {@code 101} (or a {@code 200}
     * with a raw or multiplexed stream type), hands back the socket as a duplex byte stream.
     */
    public HijackedConnection hijack(String path, Query query, byte[] jsonBody) {
        SocketChannel ch = connect();
        try {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 8 * 1024);
            Headers headers = new Headers().set("Host", host.hostHeader()).set("User-Agent", userAgent)
                    .set("Connection", "Upgrade").set("Upgrade", "tcp");
            if (jsonBody != null) {
                headers.set("Content-Type", "application/json");
                headers.set("Content-Length", Integer.toString(jsonBody.length));
            } else {
                headers.set("Content-Type", "text/plain");
            }
            HttpCodec.writeRequestHead(out, "POST", path(path, query), headers);
            if (jsonBody != null) out.write(jsonBody);
            out.flush();
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
            HttpCodec.ResponseHead head = HttpCodec.readResponseHead(in);
            if (head.status() != 101 && (head.status() < 200 || head.status() >= 300)) {
                HttpResponse r = new HttpResponse(head, HttpCodec.responseBody(head, "POST", in), ch);
                throw new ApiException(head.status(), errorMessage(r, r.readAllBytes()));
            }
            String ct = head.headers().get("Content-Type");
            InputStream stream = in;
            if (head.status() != 101) {
                // a 200 without an upgrade: the body is framed as the head says
                if (head.headers().has("Transfer-Encoding") || head.headers().has("Content-Length")) {
                    stream = HttpCodec.responseBody(head, "POST", in);
                }
            }
            return new HijackedConnection(ch, stream, out, ct);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing after a failure
        }
    }

    /** Sends a versioned request and throws {@link ApiException} unless the status is 2xx. */
    public HttpResponse call(String method, String path, Query query, Map<String, String> headers, InputStream body) {
        try {
            HttpResponse r = send(method, path(path, query), headers, body);
            if (r.status() >= 200 && r.status() < 300) return r;
            byte[] bytes = r.readAllBytes();
            throw new ApiException(r.status(), errorMessage(r, bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String errorMessage(HttpResponse r, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).trim();
        if (r.isJson() || text.startsWith("{")) {
            try {
                JsonNode n = Json.wire().readTree(bytes);
                if (n != null && n.hasNonNull("message")) return n.get("message").asText();
            } catch (IOException ignored) {
                // fall through to the raw text
            }
        }
        if (text.isEmpty()) return r.status() + " " + r.reason();
        return text;
    }

    public <T> T get(String path, Query query, Class<T> type) { return json("GET", path, query, Json.wire().constructType(type)); }

    public <T> T get(String path, Query query, TypeReference<T> type) { return json("GET", path, query, Json.wire().getTypeFactory().constructType(type)); }

    public <T> T post(String path, Query query, Class<T> type) { return json("POST", path, query, Json.wire().constructType(type)); }

    public <T> T delete(String path, Query query, TypeReference<T> type) { return json("DELETE", path, query, Json.wire().getTypeFactory().constructType(type)); }

    /** The raw bytes of a 2xx response. */
    public byte[] raw(String method, String path, Query query) {
        try (HttpResponse r = call(method, path, query, null, null)) {
            return r.body().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T json(String method, String path, Query query, JavaType type) {
        byte[] bytes = raw(method, path, query);
        if (bytes.length == 0) return null;
        try {
            return Json.wire().readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 2xx response body as a stream (e.g. {@code GET /images/get}); the caller closes it. */
    public InputStream stream(String method, String path, Query query) {
        HttpResponse r = call(method, path, query, null, null);
        return new ClosingInputStream(r);
    }

    /**
     * Reads newline-delimited JSON as it arrives and hands each value to {@code sink}; returns
     * when the daemon ends the body.
     */
    public <T> void jsonLines(HttpResponse response, Class<T> type, Consumer<T> sink) {
        try (response) {
            JsonLines.read(response.body(), line -> {
                try {
                    sink.accept(Json.wire().readValue(line, type));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts {@code POST /build} with {@code context} (a tar, plain or compressed; null with a remote context) as the
     * body, and returns the response whose JSON lines are the build's output; throws {@link ApiException} when the
     * daemon refuses the build before it streams anything. The context is sent in full before this returns.
     */
    public HttpResponse build(BuildOptions o, InputStream context) {
        Query q = Query.of().addAll("t", o.tags()).add("dockerfile", o.dockerfile()).flag("q", o.quiet())
                .flag("nocache", o.noCache()).add("rm", o.remove() ? "1" : "0").flag("forcerm", o.forceRemove())
                .flag("pull", o.pull()).add("target", o.target()).add("networkmode", o.networkMode())
                .addAll("extrahosts", o.extraHosts()).add("platform", o.platform()).add("remote", o.remote())
                .add("buildid", o.buildId()).add("version", "1");
        try {
            if (!o.buildArgs().isEmpty()) q.add("buildargs", Json.wire().writeValueAsString(o.buildArgs()));
            if (!o.labels().isEmpty()) q.add("labels", Json.wire().writeValueAsString(o.labels()));
            if (!o.cacheFrom().isEmpty()) q.add("cachefrom", Json.wire().writeValueAsString(o.cacheFrom()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", "application/x-tar");
        if (!o.registryConfig().isEmpty()) headers.put("X-Registry-Config", RegistryAuthHeader.encodeConfig(o.registryConfig()));
        if (!o.secrets().isEmpty()) headers.put(BuildSecretsHeader.NAME, BuildSecretsHeader.encode(o.secrets()));
        return call("POST", "/build", q, headers, context == null ? InputStream.nullInputStream() : context);
    }

    /** Encodes a query string. */
    public static final class Query {
        private final StringBuilder sb = new StringBuilder();

        public static Query of() { return new Query(); }

        public Query add(String key, String value) {
            if (value == null) return this;
            sb.append(sb.isEmpty() ? '?' : '&').append(enc(key)).append('=').append(enc(value));
            return this;
        }

        public Query addAll(String key, List<String> values) {
            for (String v : values) add(key, v);
            return this;
        }

        public Query flag(String key, boolean value) { return value ? add(key, "1") : this; }

        private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }

        @Override public String toString() { return sb.toString(); }
    }

    private static final class ClosingInputStream extends InputStream {
        private final HttpResponse r;

        ClosingInputStream(HttpResponse r) { this.r = r; }

        @Override public int read() throws IOException { return r.body().read(); }

        @Override public int read(byte[] b, int off, int len) throws IOException { return r.body().read(b, off, len); }

        @Override public void close() throws IOException { r.close(); }
    }
}
