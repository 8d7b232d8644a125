package io.berth.server.api;

import io.berth.engine.service.BerthVersion;
import io.berth.api.ApiVersion;
import io.berth.server.http.Headers;
import io.berth.server.http.Router;

/** Assembles the API: every resource router, and the headers dockerd sends on every response. */
public final class ApiRoutes {
    private ApiRoutes() {}

    public static Router router(Backends b) {
        Router.Builder r = Router.builder();
        // literal and deeper paths before /containers/{id}/… and /containers/{id}
        if (b.volumes() != null) r.add(new VolumesRouter(b.volumes()));
        if (b.networks() != null) r.add(new NetworksRouter(b.networks()));
        if (b.containerFs() != null) r.add(new ContainerFilesRouter(b.containerFs()));
        if (b.exec() != null) r.add(new ExecRouter(b.exec()));
        if (b.resources() != null) r.add(new ContainerResourcesRouter(b.resources()));
        return r
                .versions(ApiVersion.MIN, ApiVersion.CURRENT)
                .add(new SystemRouter(b.system(), b.events()))
                .add(new ImagesRouter(b.images()))
                .add(new ContainersRouter(b.containers()))
                .build();
    }

    /** {@code Server}, {@code Api-Version}, {@code Docker-Experimental}, {@code Ostype}, as dockerd. */
    public static Headers commonHeaders() {
        return new Headers()
                .add("Server", "Berth/" + BerthVersion.VERSION + " (linux)")
                .add("Api-Version", ApiVersion.CURRENT.toString())
                .add("Docker-Experimental", "false")
                .add("Ostype", "linux");
    }
}
