package io.berth.engine.daemon;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} built on its first use. Building the JDK's client sets up TLS (the default {@code SSLContext},
 * the trust store): ~170 ms of berthd's start for a client only a build with a remote context or {@code ADD <url>}
 * uses. Closing (or shutting down) a client never used builds nothing; using it after that fails.
 */
final class LazyHttpClient extends HttpClient {
    private final Supplier<HttpClient> build;
    private HttpClient client;
    private boolean closed;

    LazyHttpClient(Supplier<HttpClient> build) {
        this.build = build;
    }

    /** The client, built by the first caller. */
    synchronized HttpClient client() {
        if (closed) throw new IllegalStateException("the HTTP client is closed");
        if (client == null) client = build.get();
        return client;
    }

    /** Whether it has been built. */
    synchronized boolean built() {
        return client != null;
    }

    private synchronized Optional<HttpClient> ifBuilt() {
        return Optional.ofNullable(client);
    }

    /** No client is built from now on; the one built, if any. */
    private synchronized Optional<HttpClient> closing() {
        closed = true;
        return Optional.ofNullable(client);
    }

    @Override public Optional<CookieHandler> cookieHandler() { return client().cookieHandler(); }

    @Override public Optional<Duration> connectTimeout() { return client().connectTimeout(); }

    @Override public Redirect followRedirects() { return client().followRedirects(); }

    @Override public Optional<ProxySelector> proxy() { return client().proxy(); }

    @Override public SSLContext sslContext() { return client().sslContext(); }

    @Override public SSLParameters sslParameters() { return client().sslParameters(); }

    @Override public Optional<Authenticator> authenticator() { return client().authenticator(); }

    @Override public Version version() { return client().version(); }

    @Override public Optional<Executor> executor() { return client().executor(); }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return client().send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return client().sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> promises) {
        return client().sendAsync(request, handler, promises);
    }

    @Override public WebSocket.Builder newWebSocketBuilder() { return client().newWebSocketBuilder(); }

    @Override public void shutdown() { closing().ifPresent(HttpClient::shutdown); }

    @Override public boolean awaitTermination(Duration duration) throws InterruptedException {
        Optional<HttpClient> c = ifBuilt();
        return c.isEmpty() || c.get().awaitTermination(duration);
    }

    @Override public boolean isTerminated() { return ifBuilt().map(HttpClient::isTerminated).orElse(true); }

    @Override public void shutdownNow() { closing().ifPresent(HttpClient::shutdownNow); }

    @Override public void close() { closing().ifPresent(HttpClient::close); }
}
