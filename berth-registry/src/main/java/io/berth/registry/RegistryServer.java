package io.berth.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.api.Json;
import io.berth.http.Headers;
import io.berth.http.HttpServer;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import io.berth.http.TlsContexts;
import io.berth.registry.auth.RegistryAccess;
import io.berth.registry.auth.RegistryAuth;
import io.berth.registry.spec.RegistryError;
import io.berth.registry.storage.BlobStore;
import io.berth.registry.storage.Repositories;
import io.berth.registry.storage.Uploads;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code berth registry}: the storage under {@link RegistryConfig#root()}, the distribution API on an
 * {@link HttpServer}, {@code /metrics}, and (with a token realm) the token service. Abandoned uploads are
 * removed at start and then periodically. {@link #close()} stops listening and the cleaner.
 */
public final class RegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);

    private final RegistryConfig config;
    private final BlobStore blobs;
    private final Uploads uploads;
    private final Repositories repos;
    private final Metrics metrics;
    private final GarbageCollector gc;
    private final HttpServer http;
    private final ScheduledExecutorService cleaner;
    private volatile GarbageCollector.Result lastGc;
    private final OciErrors errors;
    private final RegistryAuth auth;
    private InetSocketAddress bound;

    /** An open registry (no authentication) without a token endpoint. */
    public RegistryServer(RegistryConfig config) throws IOException {
        this(config, new RegistryAuth(RegistryAccess.OPEN, Optional.empty(), "", () -> { }));
    }

    /**
     * A registry asking {@code auth}'s {@link RegistryAccess} about every request, with its token service (when there
     * is one) at its path ({@code GET} and {@code POST}). The server closes {@code auth} when it closes.
     */
    public RegistryServer(RegistryConfig config, RegistryAuth auth) throws IOException {
        RegistryAccess access = auth.access();
        this.auth = auth;
        this.config = config;
        ObjectMapper json = Json.plain();
        this.blobs = new BlobStore(config.root());
        this.uploads = new Uploads(config.root(), blobs, Clock.systemUTC());
        this.repos = new Repositories(config.root());
        this.metrics = new Metrics(blobs, repos);
        this.gc = new GarbageCollector(blobs, repos, json);
        this.errors = new OciErrors(json);
        Router.Builder routes = Router.builder().add(new RegistryApi(blobs, uploads, repos, access, metrics, json, config.maxManifestBytes()));
        routes.get("/metrics", (req, res) -> res.send(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes()));
        auth.tokenEndpoint().ifPresent(h -> routes.get(auth.tokenPath(), h).post(auth.tokenPath(), h));
        Router router = routes.build();
        Headers common = new Headers().add("Docker-Distribution-Api-Version", "registry/2.0");
        this.http = new HttpServer((req, res) -> serve(router, req, res), common, errors, json);
        this.cleaner = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("berth-registry-cleaner").unstarted(r));
        expireUploads();
        long every = Math.max(1, config.uploadExpiry().toSeconds() / 4);
        cleaner.scheduleWithFixedDelay(this::expireUploads, every, every, TimeUnit.SECONDS);
    }

    /** Starts listening on the configured address; returns the bound address (port 0 gets a free one). */
    public InetSocketAddress start() throws IOException {
        bound = config.tlsCert() != null
                ? (InetSocketAddress) http.listenTls(config.address(), TlsContexts.fromPem(config.tlsCert(), config.tlsKey()))
                : (InetSocketAddress) http.listen(config.address());
        LOG.info("registry listening on {}{} (root {})", bound, config.tlsCert() != null ? " with TLS" : "", config.root());
        return bound;
    }

    public InetSocketAddress address() { return bound; }

    /** Collects garbage while serving: blobs wanted within the configured grace are kept. */
    public GarbageCollector.Result collectGarbage(boolean dryRun, boolean deleteUntagged) throws IOException {
        return gc.run(dryRun, deleteUntagged, config.gcGrace().toMillis());
    }

    /**
     * Collects garbage online every {@code every} (as {@link #collectGarbage}, never a dry run), logging the figures;
     * a failed run is logged and the next one still happens.
     */
    public void scheduleGarbageCollection(Duration every, boolean deleteUntagged) {
        long ms = Math.max(1, every.toMillis());
        cleaner.scheduleWithFixedDelay(() -> {
            try {
                GarbageCollector.Result r = collectGarbage(false, deleteUntagged);
                lastGc = r;
                LOG.info("garbage collection: {}", GarbageCollector.describe(r, false));
            } catch (IOException | RuntimeException e) {
                LOG.warn("garbage collection: {}", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** The result of the last scheduled collection, or null before the first. */
    public GarbageCollector.Result lastScheduledCollection() { return lastGc; }

    private void serve(Router router, Request req, Response res) throws Exception {
        try {
            router.handle(req, res);
        } catch (RegistryError e) {
            if (res.committed()) throw e;
            if (e.headerName() != null) res.header(e.headerName(), e.headerValue());
            res.send(e.status(), "application/json", errors.body(e.code(), e.getMessage(), e.detail()));
        } finally {
            metrics.request(req.method(), res.status() == 0 ? 500 : res.status());
        }
    }

    private void expireUploads() {
        try {
            int n = uploads.expire(System.currentTimeMillis() - config.uploadExpiry().toMillis());
            if (n > 0) LOG.info("removed {} abandoned uploads", n);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cleaning uploads: {}", e.toString());
        }
    }

    @Override public void close() {
        cleaner.shutdownNow();
        http.close();
        auth.close();
    }
}
