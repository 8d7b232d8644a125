package io.berth.server.api;

import io.berth.api.ApiVersion;
import io.berth.api.Filters;
import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.api.build.BuildSecretsHeader;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.RegistryAuthHeader;
import io.berth.engine.service.BuildService;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import io.berth.server.http.ApiRouter;
import io.berth.server.http.ErrorMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * moby's build router: {@code POST /build}, {@code POST /build/prune} and {@code POST /build/cancel}, over
 * {@link BuildService}.
 *
 * <p>{@code POST /build} reads moby's query parameters into a {@link BuildService.BuildRequest} and streams the
 * builder's messages one JSON line at a time, each flushed at once. As in moby's {@code postBuild}, an error before
 * anything was flushed is answered with its own HTTP status and {@code {"message"}}; after that it ends the stream
 * with an {@code errorDetail} line (with the {@code code} of a failed RUN). With {@code q=1} the output is kept
 * back: a success writes only {@code {"stream":"sha256:…\n"}}, a failure writes what was kept, then the error.
 *
 * <p>A build without {@code buildid} gets one here, so that a client that goes away cancels the build as
 * {@code POST /build/cancel} would: noticed when its connection closes (watched once the builder has read the
 * context) or when the next message cannot be written.
 *
 * <p>Build secrets (the berth CLI's {@code --secret}) travel in the {@code X-Berth-Build-Secrets} header
 * ({@link BuildSecretsHeader}); Docker's classic endpoint has no way to send them, and a header keeps them out of
 * the context tar, hence out of any layer.
 */
public final class BuildRouter implements Router.Routes {
    /** {@code platform} is read from API 1.32 on, as moby. */
    private static final ApiVersion PLATFORM_PARAM = new ApiVersion(1, 32);

    private final BuildService builds;

    public BuildRouter(BuildService builds) { this.builds = builds; }

    @Override public void register(Router.Builder r) {
        r.post("/build/prune", this::prune)
                .post("/build/cancel", this::cancel)
                .post("/build", this::build);
    }

    private void build(Request req, Response res) throws IOException {
        BuildService.BuildRequest request = BuildParams.read(req, ApiRouter.version(req).atLeast(PLATFORM_PARAM),
                ApiRouter.version(req).toString());
        String buildId = request.buildId() != null ? request.buildId() : "berth-" + UUID.randomUUID();
        request = withBuildId(request, buildId);
        // a client that went away cancels its build (off the builder's thread: cancel stops what is writing)
        AtomicBoolean cancelled = new AtomicBoolean(); // the watcher and a failed write may both see the client go
        Runnable cancel = () -> {
            if (cancelled.compareAndSet(false, true)) Thread.ofVirtual().start(() -> builds.cancel(buildId));
        };
        BuildStream out = new BuildStream(res, request.quiet(), cancel);
        InputStream body = req.body();
        AtomicBoolean watching = new AtomicBoolean();
        String imageId;
        BuildService.BuildRequest r = request;
        try {
            imageId = onPlatformThread(() -> builds.build(r, body, m -> {
                // the builder's first message comes once it has read the context: from then on a client that
                // closes its connection is noticed at once, not only when the next message cannot be written (a
                // RUN may be silent for minutes), as Go's server cancels moby's request context
                if (watching.compareAndSet(false, true)) Thread.ofVirtual().start(() -> watchDisconnect(req, body, cancel));
                out.send(m);
            }));
        } catch (RuntimeException e) {
            if (!out.fail(e)) throw e;
            return;
        }
        out.succeed(imageId);
    }

    /**
     * Runs {@code build} on a platform thread of its own and waits for it. The build reads its context from the
     * connection there with plain blocking reads: on a virtual thread every read that finds the socket empty parks it
     * and the poller wakes it again, thousands of times for a large context, which cost 15–25 ms of CPU per 50 MiB
     * here (a fifth of an all-cache rebuild).
     */
    private static String onPlatformThread(Supplier<String> build) {
        AtomicReference<String> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("berth-build").start(() -> {
            try {
                result.set(build.get());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException.SystemError("interrupted while building", e);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error err) throw err;
        if (e != null) throw new IllegalStateException(e);
        return result.get();
    }

    /** Skips what is left of the request body (the tar's padding), then runs {@code cancel} when the client closes. */
    private static void watchDisconnect(Request req, InputStream body, Runnable cancel) {
        try {
            body.transferTo(OutputStream.nullOutputStream());
            req.onClientClose(cancel);
        } catch (IOException | RuntimeException e) {
            cancel.run(); // the body broke off: the client is gone
        }
    }

    private static BuildService.BuildRequest withBuildId(BuildService.BuildRequest r, String buildId) {
        return new BuildService.BuildRequest(r.tags(), r.dockerfile(), r.quiet(), r.noCache(), r.remove(), r.forceRemove(),
                r.pull(), r.buildArgs(), r.labels(), r.target(), r.networkMode(), r.extraHosts(), r.platform(), r.cacheFrom(),
                r.resources(), r.remote(), buildId, r.registryAuth(), r.secrets(), r.apiVersion());
    }

    private void prune(Request req, Response res) throws IOException {
        long keep = req.longValue("reserved-space", req.longValue("keep-storage", 0));
        res.json(200, builds.prune(Filters.parse(req.query("filters")), req.bool("all"), keep));
    }

    private void cancel(Request req, Response res) throws IOException {
        String id = req.query("id", "");
        if (id.isEmpty()) throw new BerthException.InvalidArgument("build ID not provided");
        builds.cancel(id);
        res.empty(200);
    }

    /**
     * The response side of one build: messages written and flushed one by one (or kept back for {@code q}); the
     * response starts with the first message so that an early error still gets its HTTP status.
     */
    static final class BuildStream {
        private final Response res;
        private final boolean quiet;
        private final Runnable clientGone;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private OutputStream out;
        private boolean errorSent;
        private boolean gone;

        BuildStream(Response res, boolean quiet, Runnable clientGone) {
            this.res = res;
            this.quiet = quiet;
            this.clientGone = clientGone;
        }

        synchronized void send(JsonMessage m) {
            if (m.error() != null || m.errorDetail() != null) errorSent = true;
            try {
                if (quiet) {
                    kept.write(line(m));
                    return;
                }
                write(line(m));
            } catch (IOException e) {
                gone = true;
                clientGone.run();
                throw new UncheckedIOException(e);
            }
        }

        /** The build succeeded: with {@code q}, only its image ID. */
        synchronized void succeed(String imageId) throws IOException {
            if (quiet) write(line(JsonMessage.stream(imageId + "\n")));
            if (out == null) write(new byte[0]);
        }

        /**
         * The build failed with {@code e}: false when nothing was written yet and nothing is kept (the caller then
         * answers with an HTTP status); otherwise writes what {@code q} kept and the error line (unless the builder
         * already sent one, or the client is gone) and returns true.
         */
        synchronized boolean fail(RuntimeException e) {
            if (gone) return true; // nobody is left to tell
            if (out == null && kept.size() == 0) return false;
            try {
                if (kept.size() > 0) write(kept.toByteArray());
                if (!errorSent) write(line(JsonMessage.error(ErrorMapper.map(e).message())));
            } catch (IOException | UncheckedIOException io) {
                e.addSuppressed(io); // the client is gone: nobody is left to tell
            }
            return true;
        }

        private void write(byte[] bytes) throws IOException {
            if (out == null) out = res.stream(200, "application/json");
            out.write(bytes);
            out.flush();
        }

        private static byte[] line(JsonMessage m) throws IOException {
            byte[] json = Json.wire().writeValueAsBytes(m);
            byte[] line = new byte[json.length + 2];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\r';
            line[json.length + 1] = '\n';
            return line;
        }
    }

    /** Reads {@code POST /build}'s query and headers as moby's {@code newImageBuildOptions}. */
    static final class BuildParams {
        private BuildParams() {}

        static BuildService.BuildRequest read(Request req, boolean platformParam, String apiVersion) {
            if (!req.query("securityopt", "").isEmpty()) {
                throw new BerthException.InvalidArgument(
                        "The daemon on this platform does not support setting security options on build");
            }
            String isolation = req.query("isolation", "");
            if (!isolation.isEmpty() && !isolation.equals("default")) {
                throw new BerthException.InvalidArgument("Unsupported isolation: \"" + isolation + "\"");
            }
            if (req.bool("squash")) {
                throw new BerthException.InvalidArgument("squash is only supported with experimental mode");
            }
            String version = req.query("version", "");
            switch (version) {
                case "", "1" -> { }
                case "2" -> throw new BerthException.InvalidArgument("buildkit not supported by daemon");
                default -> throw new BerthException.InvalidArgument("invalid version \"" + version + "\"");
            }
            boolean forceRemove = req.bool("forcerm");
            boolean remove = forceRemove || req.bool("rm", true);
            var resources = new BuildService.Resources(req.longValue("memory", 0), req.longValue("memswap", 0),
                    req.longValue("cpushares", 0), req.longValue("cpuperiod", 0), req.longValue("cpuquota", 0),
                    emptyToNull(req.query("cpusetcpus")), emptyToNull(req.query("cpusetmems")),
                    req.longValue("shmsize", 0), emptyToNull(req.query("cgroupparent")), ulimits(req.query("ulimits")));
            return new BuildService.BuildRequest(req.queryAll("t").stream().filter(t -> !t.isEmpty()).toList(),
                    emptyToNull(req.query("dockerfile")), req.bool("q"), req.bool("nocache"), remove, forceRemove,
                    req.bool("pull"), stringMap("buildargs", req.query("buildargs")),
                    stringMap("labels", req.query("labels")), emptyToNull(req.query("target")),
                    emptyToNull(req.query("networkmode")), extraHosts(req.queryAll("extrahosts")),
                    platformParam ? emptyToNull(req.query("platform")) : null, stringList(req.query("cachefrom")),
                    resources, emptyToNull(req.query("remote")), emptyToNull(req.query("buildid")),
                    RegistryAuthHeader.decodeConfigLeniently(req.headers().get("X-Registry-Config")),
                    BuildSecretsHeader.decode(req.headers().get(BuildSecretsHeader.NAME)), apiVersion);
        }

        /** {@code extrahosts} as repeated parameters (docker-py) or one comma-separated value. */
        static List<String> extraHosts(List<String> values) {
            List<String> out = new ArrayList<>();
            for (String v : values) {
                for (String h : v.split(",")) if (!h.isBlank()) out.add(h.strip());
            }
            return out;
        }

        private static Map<String, String> stringMap(String name, String json) {
            if (json == null || json.isEmpty()) return Map.of();
            try {
                Map<String, String> m = Json.plain().readValue(json,
                        Json.plain().getTypeFactory().constructMapType(LinkedHashMap.class, String.class, String.class));
                return m == null ? Map.of() : m;
            } catch (IOException e) {
                throw new BerthException.InvalidArgument("invalid " + name + " JSON: " + e.getMessage());
            }
        }

        private static List<String> stringList(String json) {
            if (json == null || json.isEmpty()) return List.of();
            try {
                List<String> l = Json.plain().readValue(json,
                        Json.plain().getTypeFactory().constructCollectionType(List.class, String.class));
                return l == null ? List.of() : l;
            } catch (IOException e) {
                throw new BerthException.InvalidArgument("invalid cachefrom JSON: " + e.getMessage());
            }
        }

        private static List<BuildService.Ulimit> ulimits(String json) {
            if (json == null || json.isEmpty()) return List.of();
            try {
                List<UlimitJson> l = Json.wire().readValue(json,
                        Json.wire().getTypeFactory().constructCollectionType(List.class, UlimitJson.class));
                return l == null ? List.of() : l.stream().map(u -> new BuildService.Ulimit(u.name(), u.soft(), u.hard())).toList();
            } catch (IOException e) {
                throw new BerthException.InvalidArgument("invalid ulimits JSON: " + e.getMessage());
            }
        }

        /** One {@code ulimits} entry on the wire: {@code {"Name":"nofile","Soft":1024,"Hard":2048}}. */
        record UlimitJson(String name, long soft, long hard) {}

        private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }
    }
}
