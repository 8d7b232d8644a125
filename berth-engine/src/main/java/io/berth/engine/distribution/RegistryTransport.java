package io.berth.engine.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * HTTP exchanges with registries on the JDK's {@link HttpClient} (HTTP/1.1, one client per TLS setup): the
 * {@code Authorization} header only for the registry's own {@code host:port} (redirects elsewhere, such as blob
 * redirects to a CDN, are followed without it), one answer to a 401 challenge, and bounded retries with exponential
 * backoff on connection errors, 5xx and 429. A timeout bounds the wait for the response headers of requests without
 * a body; bodies themselves are never timed.
 */
final class RegistryTransport {
    /** A request: {@code scopes} are the token scopes it needs; {@code body} is reopened for each attempt. */
    record Request(String method, URI uri, Map<String, String> headers, RepositorySession.BlobSource body, long length,
                   List<String> scopes) {
        Request {
            headers = Map.copyOf(headers);
            scopes = List.copyOf(scopes);
        }

        static Request of(String method, URI uri, List<String> scopes, Map<String, String> headers) {
            return new Request(method, uri, headers, null, -1, scopes);
        }

        Request withBody(RepositorySession.BlobSource source, long bytes) {
            return new Request(method, uri, headers, source, bytes, scopes);
        }
    }

    /** Authorization for one registry endpoint. */
    interface Authorization {
        /** The header for a request needing {@code scopes}, if any; Unauthorized when it cannot be made. */
        Optional<String> header(String method, URI uri, List<String> scopes) throws IOException;

        /** After a 401: whether a fresh header is worth one more try (a new challenge or an expired token). */
        boolean renew(HttpHeaders challengeHeaders);
    }

    /** How often and how fast to retry transient failures. */
    record RetryPolicy(int attempts, Duration firstDelay) {
        static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(500));
    }

    private static final int MAX_REDIRECTS = 10;

    /**
     * The JDK client reads a socket into buffers of {@code jdk.httpclient.bufsize} bytes (16 KiB by default) and hands
     * each one to the thread reading the body: for a blob that is a wake-up of the reader per 16 KiB. 256 KiB reads cut
     * those hand-offs sixteenfold (a third less CPU for a pull from a loopback registry); the heap holds a few of them per
     * download. Read once, when the JDK's client classes load, so set before the first client is built.
     */
    static final String BUFSIZE_PROPERTY = "jdk.httpclient.bufsize";

    static {
        if (System.getProperty(BUFSIZE_PROPERTY) == null) System.setProperty(BUFSIZE_PROPERTY, Integer.toString(256 * 1024));
    }

    private final RegistryTls tls;
    private final RetryPolicy retry;
    private final Duration headerTimeout;
    private final Duration pingTimeout;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    RegistryTransport(RegistryTls tls, RetryPolicy retry, Duration headerTimeout, Duration pingTimeout) {
        this.tls = tls;
        this.retry = retry;
        this.headerTimeout = headerTimeout;
        this.pingTimeout = pingTimeout;
    }

    /**
     * Sends {@code request} to {@code endpoint}, retrying transient failures; the caller closes the body. Connection
     * failures surface as IOException after the last attempt.
     */
    HttpResponse<InputStream> send(Endpoint endpoint, Request request, Authorization auth) throws IOException {
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= retry.attempts();
            HttpResponse<InputStream> response;
            try {
                response = exchange(endpoint, request, auth, headerTimeout);
            } catch (SSLException e) {
                throw e;
            } catch (IOException e) {
                if (last || e instanceof InterruptedIOException) throw e;
                backoff(attempt);
                continue;
            }
            int status = response.statusCode();
            if ((status >= 500 || status == 429) && !last) {
                response.body().close();
                backoff(attempt);
                continue;
            }
            return response;
        }
    }

    /** One attempt without retries (a request whose body cannot be replayed). */
    HttpResponse<InputStream> sendOnce(Endpoint endpoint, Request request, Authorization auth) throws IOException {
        return exchange(endpoint, request, auth, headerTimeout);
    }

    /**
     * The {@code /v2/} ping of an endpoint that has a fallback (https of an insecure registry before http): one
     * attempt, bounded by the shorter ping timeout, so a server that never finishes the TLS handshake costs little.
     */
    HttpResponse<InputStream> probe(Endpoint endpoint, Request request) throws IOException {
        return exchange(endpoint, request, null, pingTimeout);
    }

    private HttpResponse<InputStream> exchange(Endpoint endpoint, Request request, Authorization auth, Duration timeout) throws IOException {
        URI target = request.uri();
        String method = request.method();
        RepositorySession.BlobSource body = request.body();
        boolean renewed = false;
        for (int hop = 0; hop <= MAX_REDIRECTS; ) {
            boolean sameRegistry = Endpoint.authorityOf(target).equals(endpoint.authority())
                    && target.getScheme().equalsIgnoreCase(endpoint.base().getScheme());
            HttpRequest.Builder b = HttpRequest.newBuilder(target);
            request.headers().forEach(b::header);
            if (sameRegistry && auth != null && !endpoint.mirror()) {
                auth.header(method, request.uri(), request.scopes()).ifPresent(h -> b.header("Authorization", h));
            }
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else if (request.length() == 0) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                RepositorySession.BlobSource source = body;
                HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return source.open();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                b.method(method, request.length() >= 0 ? HttpRequest.BodyPublishers.fromPublisher(publisher, request.length()) : publisher);
            }
            HttpResponse<InputStream> response = send(client(endpoint, target, sameRegistry), b.build(), body == null ? timeout : null);
            int status = response.statusCode();
            if (status == 401 && sameRegistry && auth != null && !endpoint.mirror() && !renewed
                    && auth.renew(response.headers())) {
                response.body().close();
                renewed = true;
                continue;
            }
            Optional<String> location = response.headers().firstValue("Location");
            if (isRedirect(status) && location.isPresent()) {
                response.body().close();
                target = target.resolve(location.get());
                if (status == 303 && !method.equals("HEAD")) {
                    method = "GET";
                    body = null;
                }
                hop++;
                continue;
            }
            return response;
        }
        throw new IOException("stopped after " + MAX_REDIRECTS + " redirects");
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * Sends and waits for the response headers; a request without a body waits at most the header timeout, which
     * also bounds a TLS handshake that never ends (the JDK's own timeouts leave it out).
     */
    private static HttpResponse<InputStream> send(HttpClient client, HttpRequest request, Duration timeout) throws IOException {
        CompletableFuture<HttpResponse<InputStream>> future = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            return timeout != null ? future.get(timeout.toMillis(), TimeUnit.MILLISECONDS) : future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while talking to " + request.uri());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("timeout awaiting response headers");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) throw u.getCause();
            if (cause instanceof IOException io) throw io;
            throw new IOException(cause.getMessage(), cause);
        }
    }

    private HttpClient client(Endpoint endpoint, URI target, boolean sameRegistry) throws IOException {
        boolean https = "https".equalsIgnoreCase(target.getScheme());
        String host = sameRegistry ? endpoint.host() : target.getRawAuthority();
        boolean skip = https && sameRegistry && endpoint.skipVerify();
        String key = https ? host + (skip ? "|insecure" : "|verify") : "plain";
        HttpClient existing = clients.get(key);
        if (existing != null) return existing;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(headerTimeout == null ? Duration.ofSeconds(30) : headerTimeout);
        if (https) b.sslContext(tls.context(host, skip));
        HttpClient built = b.build();
        HttpClient raced = clients.putIfAbsent(key, built);
        return raced == null ? built : raced;
    }

    private void backoff(int attempt) throws InterruptedIOException {
        long delay = retry.firstDelay().toMillis() << (attempt - 1);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    /** Reads a whole (small) body, at most {@code limit} bytes. */
    static byte[] readAll(HttpResponse<InputStream> response, int limit) throws IOException {
        try (InputStream in = response.body()) {
            byte[] data = in.readNBytes(limit + 1);
            if (data.length > limit) throw new IOException("response from " + response.uri() + " is larger than " + limit + " bytes");
            return data;
        }
    }

    /** Closes a response's body, ignoring failures. */
    static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }
}
