package io.berth.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A black-box HTTP/1.1 client for an OCI distribution server at {@code base} (e.g. {@code http://127.0.0.1:5000}), on
 * the JDK's {@link HttpClient}: any method, path or absolute {@code Location}, headers, a body; optionally Basic
 * credentials (or a fixed {@code Authorization} value) on every request. It never follows redirects.
 */
public final class OciHttp {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String authorization;

    /** A client without credentials. */
    public OciHttp(URI base) { this(base, null); }

    private OciHttp(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The same server, with {@code Authorization: Basic user:password} on every request. */
    public OciHttp basic(String user, String password) {
        return authorization("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** The same server, with this {@code Authorization} value on every request (null: none). */
    public OciHttp authorization(String value) { return new OciHttp(base, value); }

    public URI base() { return base; }

    /** One answer: status, headers and the whole body. */
    public record Reply(String method, URI uri, int status, HttpHeaders headers, byte[] body) {
        public String header(String name) { return headers.firstValue(name).orElse(null); }

        public List<String> headerValues(String name) { return headers.allValues(name); }

        public String text() { return new String(body, StandardCharsets.UTF_8); }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(this + " is not JSON: " + text(), e);
            }
        }

        /** {@code errors[0].code} of an OCI error body, or null when the body is not one. */
        public String errorCode() {
            try {
                JsonNode code = JSON.readTree(body).path("errors").path(0).path("code");
                return code.isTextual() ? code.asText() : null;
            } catch (IOException e) {
                return null;
            }
        }

        /** The {@code Location} header resolved against the request's URI. */
        public URI location() {
            String loc = header("Location");
            if (loc == null) throw new AssertionError(this + " has no Location header");
            return uri.resolve(loc);
        }

        @Override public String toString() {
            String shown = body.length > 300 ? new String(body, 0, 300, StandardCharsets.UTF_8) + "…" : text();
            return method + " " + uri + " -> " + status + " " + headers.map() + " " + shown;
        }
    }

    public Reply get(String path, String... headers) { return send("GET", path, null, headers); }

    public Reply head(String path, String... headers) { return send("HEAD", path, null, headers); }

    public Reply delete(String path, String... headers) { return send("DELETE", path, null, headers); }

    /**
     * Sends {@code method} to {@code target} — a path below the base ({@code /v2/…}) or an absolute URI — with
     * {@code headers} as name, value pairs and {@code body} (null: none).
     */
    public Reply send(String method, String target, byte[] body, String... headers) {
        URI uri = target.startsWith("http://") || target.startsWith("https://") ? URI.create(target) : URI.create(base + target);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        if (authorization != null) b.header("Authorization", authorization);
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(method, uri, r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code uri} with {@code name=value} added to its query. */
    public static String withQuery(URI uri, String name, String value) {
        return uri + (uri.getRawQuery() == null ? "?" : "&") + name + "=" + value;
    }

    /** {@code <algorithm>:<hex>} of {@code content}; algorithm is {@code sha256} or {@code sha512}. */
    public static String digest(String algorithm, byte[] content) {
        try {
            String jca = switch (algorithm) {
                case "sha256" -> "SHA-256";
                case "sha512" -> "SHA-512";
                default -> throw new IllegalArgumentException(algorithm);
            };
            return algorithm + ":" + HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON bytes of a tree built with maps and lists, in insertion order. */
    public static byte[] json(Map<String, ?> tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
