package io.berth.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One request: method, decoded path, query, headers, body, and the path parameters the router matched. */
public final class Request {
    private final HttpCodec.RequestHead head;
    private final String path;
    private final Map<String, List<String>> query;
    private final InputStream body;
    private final Connection connection;
    private final ObjectMapper json;
    private Map<String, String> params = Map.of();

    Request(HttpCodec.RequestHead head, InputStream body, Connection connection, ObjectMapper json) {
        this.head = head;
        this.connection = connection;
        this.json = json;
        String target = head.target();
        int q = target.indexOf('?');
        this.path = decodePath(q < 0 ? target : target.substring(0, q));
        this.query = parseQuery(q < 0 ? "" : target.substring(q + 1));
        this.body = body;
    }

    /**
     * A request not read from a connection, for dispatching through a {@link Router} in tests:
     * {@link #onClientClose} is not available.
     */
    public static Request detached(HttpCodec.RequestHead head, InputStream body, ObjectMapper json) {
        return new Request(head, body, null, json);
    }

    public String method() { return head.method(); }

    /** True for HTTP/1.1 (keep-alive by default), false for HTTP/1.0. */
    boolean http11() { return head.http11(); }

    /** The percent-decoded path as sent, including any prefix a front strips (Docker's {@code /v1.NN}). */
    public String path() { return path; }

    public String target() { return head.target(); }

    public Headers headers() { return head.headers(); }

    /** A path parameter of the matched route, such as {@code name} in {@code /images/{name:.*}/json}. */
    public String param(String name) {
        String v = params.get(name);
        if (v == null) throw new IllegalStateException("route has no parameter " + name);
        return v;
    }

    /** The first value of a query parameter, or null when absent. */
    public String query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    /** The first value of a query parameter, or {@code fallback} when absent or empty. */
    public String query(String name, String fallback) {
        String v = query(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    /** Every value of a repeated query parameter ({@code names=a&names=b}). */
    public List<String> queryAll(String name) { return query.getOrDefault(name, List.of()); }

    public boolean hasQuery(String name) { return query.containsKey(name); }

    /**
     * A boolean query parameter as Go's {@code strconv.ParseBool} reads it ({@code 1 t T true TRUE True}
     * and their false counterparts); absent or empty is false; anything else is a 400.
     */
    public boolean bool(String name) { return bool(name, false); }

    public boolean bool(String name, boolean fallback) {
        String v = query(name);
        if (v == null) return fallback;
        return switch (v) {
            case "", "0", "f", "F", "false", "FALSE", "False" -> false;
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            default -> throw new IllegalArgumentException("invalid value for " + name + ": " + v + " (expected a boolean)");
        };
    }

    /** An integer query parameter; absent or empty gives {@code fallback}, garbage is a 400. */
    public long longValue(String name, long fallback) {
        String v = query(name);
        if (v == null || v.isEmpty()) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value for " + name + ": " + v + " (expected an integer)");
        }
    }

    /**
     * The request body. If the client sent {@code Expect: 100-continue}, the first read sends the
     * interim {@code 100 Continue}.
     */
    public InputStream body() { return body; }

    /**
     * The body as JSON read by the server's mapper, or null when there is none. Malformed JSON
     * propagates as Jackson's exception, for the server's {@link ErrorRenderer} to answer.
     */
    public <T> T json(Class<T> type) throws IOException {
        byte[] bytes = body.readAllBytes();
        return bytes.length == 0 ? null : json.readValue(bytes, type);
    }

    /** True if the client asked to upgrade the connection to a raw stream ({@code Upgrade: tcp}). */
    public boolean wantsUpgrade() {
        return headers().hasToken("Connection", "upgrade") && headers().has("Upgrade");
    }

    /**
     * Watches the client side of the connection and runs {@code onClose} once the client closes it
     * (or sends anything more, which a streaming endpoint does not expect). After this the
     * connection is not kept alive. Used by endless streams such as {@code /events}.
     */
    public void onClientClose(Runnable onClose) { connection.watchClose(onClose); }

    void params(Map<String, String> params) { this.params = params; }

    static String decodePath(String raw) {
        if (raw.indexOf('%') < 0) return raw;
        byte[] out = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                int hi = Character.digit(raw.charAt(i + 1), 16), lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new HttpProtocolException(400, "invalid URL escape in path");
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c == '%') {
                throw new HttpProtocolException(400, "invalid URL escape in path");
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * A query string or an {@code application/x-www-form-urlencoded} body as name → values, in order; a bad escape is
     * a 400.
     */
    public static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            } catch (IllegalArgumentException e) {
                throw new HttpProtocolException(400, "invalid URL escape in query");
            }
        }
        return out;
    }

    @Override public String toString() { return method() + " " + target(); }

    /** Wraps a body so that its first read sends {@code 100 Continue}. */
    static InputStream expectContinue(InputStream body, Connection connection) {
        return new InputStream() {
            private boolean sent;

            private void send() throws IOException {
                if (!sent) {
                    sent = true;
                    connection.sendContinue();
                }
            }

            @Override public int read() throws IOException { send(); return body.read(); }

            @Override public int read(byte[] b, int off, int len) throws IOException { send(); return body.read(b, off, len); }

            @Override public int available() throws IOException { return sent ? body.available() : 0; }
        };
    }
}
