package io.berth.engine.build.context;

import io.berth.api.errors.BerthException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * moby's {@code GetWithStatusError}: a GET whose 4xx/5xx answer becomes an error of the matching kind, reading
 * {@code failed to GET <url> with status <code> <reason>: <body>}.
 */
final class HttpFetch {
    private static final Map<Integer, String> REASONS = Map.of(400, "Bad Request", 401, "Unauthorized", 403, "Forbidden",
            404, "Not Found", 500, "Internal Server Error", 502, "Bad Gateway", 503, "Service Unavailable");

    private HttpFetch() {}

    /** The response of a successful GET (status below 400); the caller closes its body. */
    static HttpResponse<InputStream> get(HttpClient http, String url) throws IOException {
        HttpResponse<InputStream> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IllegalArgumentException e) {
            throw new BerthException.InvalidArgument("parse \"" + url + "\": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url, e);
        } catch (IOException e) {
            throw new BerthException.SystemError("Get \"" + url + "\": " + e.getMessage(), e);
        }
        int code = r.statusCode();
        if (code < 400) return r;
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
        }
        String msg = "failed to GET " + url + " with status " + (code + " " + REASONS.getOrDefault(code, "")).strip()
                + ": " + body;
        throw switch (code) {
            case 404 -> new BerthException.NotFound(msg);
            case 400 -> new BerthException.InvalidArgument(msg);
            case 401 -> new BerthException.Unauthorized(msg);
            case 403 -> new BerthException.Forbidden(msg);
            default -> new BerthException.SystemError(msg, null);
        };
    }
}
