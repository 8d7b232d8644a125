package io.berth.server.api;

import io.berth.api.ApiVersion;
import io.berth.api.Filters;
import io.berth.api.volume.VolumeCreateRequest;
import io.berth.engine.service.VolumeService;
import io.berth.http.Request;
import io.berth.server.http.ApiRouter;
import io.berth.http.Response;
import io.berth.http.Router;
import java.io.IOException;

/** The {@code /volumes/…} routes of moby's volume router, over {@link VolumeService}. */
public final class VolumesRouter implements Router.Routes {
    private static final ApiVersion PRUNE_ALL_FILTER = new ApiVersion(1, 42);

    private final VolumeService volumes;

    public VolumesRouter(VolumeService volumes) { this.volumes = volumes; }

    @Override public void register(Router.Builder r) {
        r.get("/volumes", (req, res) -> res.json(200, volumes.list(Filters.parse(req.query("filters")))))
                .post("/volumes/create", this::create)
                .post("/volumes/prune", (req, res) -> res.json(200,
                        volumes.prune(Filters.parse(req.query("filters")), ApiRouter.version(req).atLeast(PRUNE_ALL_FILTER))))
                .get("/volumes/{name}", (req, res) -> res.json(200, volumes.inspect(req.param("name"))))
                .delete("/volumes/{name}", this::remove);
    }

    private void create(Request req, Response res) throws IOException {
        VolumeCreateRequest body = req.json(VolumeCreateRequest.class);
        if (body == null) body = new VolumeCreateRequest(null, null, null, null);
        res.json(201, volumes.create(body));
    }

    private void remove(Request req, Response res) throws IOException {
        volumes.remove(req.param("name"), req.bool("force"));
        res.empty(204);
    }
}
