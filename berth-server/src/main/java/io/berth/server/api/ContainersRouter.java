package io.berth.server.api;

import io.berth.api.Filters;
import io.berth.api.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.container.ContainerCreateRequest;
import io.berth.api.container.HostConfig;
import io.berth.api.container.WaitResponse;
import io.berth.engine.service.LogOptions;
import io.berth.engine.service.ContainerService;
import io.berth.api.errors.BerthException;
import io.berth.api.DetachKeys;
import io.berth.api.TimeFilters;
import io.berth.engine.service.LogEntry;
import io.berth.engine.service.ProcessStdio;
import io.berth.engine.service.StdStream;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import io.berth.server.http.ApiRouter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The {@code /containers/…} routes of moby's container router, over {@link ContainerService}. */
public final class ContainersRouter implements Router.Routes {
    private final ContainerService containers;

    public ContainersRouter(ContainerService containers) { this.containers = containers; }

    @Override public void register(Router.Builder r) {
        r.post("/containers/create", this::create)
                .get("/containers/json", (req, res) -> res.json(200, containers.list(req.bool("all"),
                        (int) req.longValue("limit", -1), req.bool("size"), Filters.parse(req.query("filters")))))
                .get("/containers/{id}/json", (req, res) -> res.json(200, containers.inspect(req.param("id"), req.bool("size"))))
                .post("/containers/{id}/start", (req, res) -> res.empty(containers.start(req.param("id")) ? 204 : 304))
                .post("/containers/{id}/stop", (req, res) -> res.empty(
                        containers.stop(req.param("id"), timeout(req), req.query("signal")) ? 204 : 304))
                .post("/containers/{id}/restart", (req, res) -> {
                    containers.restart(req.param("id"), timeout(req), req.query("signal"));
                    res.empty(204);
                })
                .post("/containers/{id}/kill", (req, res) -> {
                    containers.kill(req.param("id"), req.query("signal"));
                    res.empty(204);
                })
                .post("/containers/{id}/pause", (req, res) -> {
                    containers.pause(req.param("id"));
                    res.empty(204);
                })
                .post("/containers/{id}/unpause", (req, res) -> {
                    containers.unpause(req.param("id"));
                    res.empty(204);
                })
                .post("/containers/{id}/rename", (req, res) -> {
                    containers.rename(req.param("id"), req.query("name", ""));
                    res.empty(204);
                })
                .post("/containers/{id}/resize", (req, res) -> {
                    containers.resize(req.param("id"), (int) req.longValue("h", 0), (int) req.longValue("w", 0));
                    res.empty(200);
                })
                .post("/containers/{id}/wait", this::await)
                .post("/containers/{id}/attach", this::attach)
                .get("/containers/{id}/logs", this::logs)
                .delete("/containers/{id:.+}", (req, res) -> {
                    if (req.bool("link")) containers.removeLink(req.param("id"));
                    else containers.remove(req.param("id"), req.bool("force"), req.bool("v"));
                    res.empty(204);
                });
    }

    private static Integer timeout(Request req) {
        String t = req.query("t");
        if (t == null || t.isEmpty()) return null;
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value for t: " + t);
        }
    }

    private void create(Request req, Response res) throws IOException {
        JsonNode tree = req.json(JsonNode.class);
        if (tree == null || tree.isNull()) {
            throw new BerthException.InvalidArgument("config cannot be empty in order to create a container");
        }
        ContainerCreateRequest body = withTopLevelRuntime(Json.wire().treeToValue(tree, ContainerCreateRequest.class), tree);
        res.json(201, containers.create(req.query("name", ""), body));
    }

    /**
     * docker-py's {@code create_container(runtime=…)} sends {@code Runtime} beside {@code Image}, not in
     * {@code HostConfig} where the API has it; dockerd ignores it, so such a caller gets dockerd's default, runc.
     * Berth's default may be crun: the runtime the caller named is taken when {@code HostConfig} names none.
     */
    private static ContainerCreateRequest withTopLevelRuntime(ContainerCreateRequest body, JsonNode tree) {
        JsonNode runtime = tree.path("Runtime");
        HostConfig h = body.hostConfigOrEmpty();
        if (!runtime.isTextual() || runtime.asText().isEmpty() || (h.runtime() != null && !h.runtime().isEmpty())) {
            return body;
        }
        HostConfig.Builder b = h.toBuilder();
        b.runtime = runtime.asText();
        return body.withHostConfig(b.build());
    }

    /** The headers go out at once (the CLI waits for them before it starts the container); the body when the condition holds. */
    private void await(Request req, Response res) throws IOException {
        CompletableFuture<WaitResponse> f = containers.await(req.param("id"), req.query("condition", ""));
        OutputStream out = res.stream(200, "application/json");
        out.flush();
        req.onClientClose(() -> f.cancel(false));
        WaitResponse w;
        try {
            w = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.CancellationException e) {
            return;
        } catch (ExecutionException e) {
            w = new WaitResponse(-1, new WaitResponse.WaitError(e.getCause().getMessage()));
        }
        out.write(Json.wire().writeValueAsBytes(w));
        out.write('\n');
        out.flush();
    }

    private void attach(Request req, Response res) throws IOException {
        String id = req.param("id");
        boolean stream = req.bool("stream");
        boolean logs = req.bool("logs");
        boolean wantStdin = req.bool("stdin");
        boolean wantOut = req.bool("stdout");
        boolean wantErr = req.bool("stderr");
        byte[] detach = DetachKeys.parse(req.query("detachKeys", ""));
        boolean tty = containers.tty(id);
        try (ProcessStdio streams = stream ? containers.attach(id, wantStdin) : null) {
            Response.Hijacked h = res.hijack(StreamFrames.contentType(!tty, ApiRouter.version(req)));
            OutputStream out = h.out();
            if (logs) {
                containers.logs(id, new LogOptions(wantOut, wantErr, false, -1, null, null, false),
                        e -> writeEntry(out, tty, e, false, null), CompletableFuture.completedFuture(null));
                out.flush();
            }
            if (streams == null) return;
            Set<StdStream> wanted = EnumSet.noneOf(StdStream.class);
            if (wantStdin) wanted.add(StdStream.STDIN);
            if (wantOut) wanted.add(StdStream.STDOUT);
            if (wantErr) wanted.add(StdStream.STDERR);
            new StdioPump(streams, h, wanted, tty, detach, "attach-out-" + id.substring(0, Math.min(12, id.length()))).run();
        }
    }

    private void logs(Request req, Response res) throws IOException {
        String id = req.param("id");
        boolean tty = containers.tty(id);
        String tailText = req.query("tail", "all");
        int tail;
        try {
            tail = tailText.isEmpty() || tailText.equals("all") ? -1 : Integer.parseInt(tailText);
        } catch (NumberFormatException e) {
            tail = -1; // dockerd treats an unparsable tail as "all"
        }
        Instant since = time(req.query("since"));
        Instant until = time(req.query("until"));
        boolean timestamps = req.bool("timestamps");
        if (!req.bool("stdout") && !req.bool("stderr")) {
            throw new BerthException.InvalidArgument("Bad parameters: you must choose at least one stream");
        }
        Map<String, String> attrs = containers.logAttributes(id); // refuses a driver that keeps no log, before the stream starts
        byte[] details = req.bool("details") ? LogDetails.prefix(attrs) : null;
        LogOptions o = new LogOptions(req.bool("stdout"), req.bool("stderr"), req.bool("follow"), tail, since, until, timestamps);
        OutputStream out = res.stream(200, StreamFrames.contentType(!tty, ApiRouter.version(req)));
        CompletableFuture<Void> gone = new CompletableFuture<>();
        req.onClientClose(() -> gone.complete(null));
        out.flush();
        containers.logs(id, o, e -> writeEntry(out, tty, e, timestamps, details), gone);
        out.flush();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static Instant time(String v) {
        if (v == null || v.isEmpty() || v.equals("0")) return null;
        return TimeFilters.parse(v);
    }

    /** One log record as moby writes it: the timestamp, then (with details) the attributes, then the line. */
    private static void writeEntry(OutputStream out, boolean tty, LogEntry e, boolean timestamps, byte[] details) {
        try {
            byte[] data = e.content();
            if (details != null) data = concat(details, data);
            if (timestamps) data = concat((e.time().toString() + " ").getBytes(StandardCharsets.UTF_8), data);
            StreamFrames.write(out, tty, e.stream() == StdStream.STDERR ? StreamFrames.STDERR : StreamFrames.STDOUT, data, 0, data.length);
            out.flush();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
