package io.berth.client;

import java.io.Closeable;
import java.io.IOException;
import io.berth.http.HttpCodec;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A response head plus its body as a stream (fixed length, chunked or until close). Close it when done. */
public final class HttpResponse implements Closeable {
    private final int status;
    private final String reason;
    private final Map<String, List<String>> headers;
    private final InputStream body;
    private final Closeable connection;

    HttpResponse(HttpCodec.ResponseHead head, InputStream body, Closeable connection) {
        this.status = head.status();
        this.reason = head.reason();
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        head.headers().forEach((name, value) -> h.computeIfAbsent(name, k -> new ArrayList<>()).add(value));
        this.headers = h;
        this.body = body;
        this.connection = connection;
    }

    public int status() { return status; }

    public String reason() { return reason; }

    public Map<String, List<String>> headers() { return headers; }

    public String header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    public InputStream body() { return body; }

    public byte[] readAllBytes() throws IOException {
        try (this) {
            return body.readAllBytes();
        }
    }

    public boolean isJson() {
        String ct = header("Content-Type");
        return ct != null && ct.toLowerCase().startsWith("application/json");
    }

    @Override public void close() throws IOException {
        try {
            body.close();
        } finally {
            connection.close();
        }
    }
}
