package io.berth.server.api;

import io.berth.api.Json;
import io.berth.api.container.HostConfig;
import io.berth.engine.service.ContainerResourceService;
import io.berth.api.errors.BerthException;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code GET /containers/{id}/top}, {@code GET /containers/{id}/stats}, {@code POST /containers/{id}/update}. */
public final class ContainerResourcesRouter implements Router.Routes {
    private final ContainerResourceService resources;

    public ContainerResourcesRouter(ContainerResourceService resources) { this.resources = resources; }

    @Override public void register(Router.Builder r) {
        r.get("/containers/{id}/top", (req, res) -> res.json(200, resources.top(req.param("id"), req.query("ps_args", ""))))
                .get("/containers/{id}/stats", this::stats)
                .post("/containers/{id}/update", this::update);
    }

    private void stats(Request req, Response res) throws IOException {
        boolean stream = req.bool("stream", true);
        boolean oneShot = req.bool("one-shot", false);
        if (stream && oneShot) throw new BerthException.InvalidArgument("cannot have stream=true and one-shot=true");
        CompletableFuture<Void> stop = new CompletableFuture<>();
        OutputStream[] out = {null};
        req.onClientClose(() -> stop.complete(null));
        try {
            resources.stats(req.param("id"), stream, oneShot, s -> {
                try {
                    if (out[0] == null) out[0] = res.stream(200, "application/json");
                    out[0].write(Json.wire().writeValueAsBytes(s));
                    out[0].write('\n');
                    out[0].flush();
                } catch (IOException e) {
                    stop.complete(null);
                    throw new UncheckedIOException(e);
                }
            }, stop);
        } catch (UncheckedIOException e) {
            return; // the client left
        }
        if (out[0] != null) out[0].flush();
    }

    private void update(Request req, Response res) throws IOException {
        HostConfig given = req.json(HostConfig.class);
        HostConfig changes = given == null ? HostConfig.empty() : given;
        List<String> warnings = resources.update(req.param("id"), changes);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Warnings", warnings);
        res.json(200, body);
    }
}
