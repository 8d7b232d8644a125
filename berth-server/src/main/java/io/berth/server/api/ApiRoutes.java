package io.berth.server.api;

import io.berth.engine.service.BerthVersion;
import io.berth.api.ApiVersion;
import io.berth.api.Json;
import io.berth.http.Headers;
import io.berth.http.HttpServer;
import io.berth.http.Router;
import io.berth.server.http.ApiRouter;
import io.berth.server.http.ErrorMapper;

/**
 * Assembles the API: every resource router, the headers dockerd sends on every response, and the
 * HTTP server that serves them with Docker's version prefixes, errors and JSON.
 */
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
        DistributionRouter distribution = b.distribution() == null ? null : new DistributionRouter(b.distribution());
        if (distribution != null) r.add(distribution);
        if (b.build() != null) r.add(new BuildRouter(b.build()));
        r.add(new SwarmRouter());
        return r
                .add(new SystemRouter(b.system(), b.events(), b.build()))
                .add(new ImagesRouter(b.images(), distribution))
                .add(new ContainersRouter(b.containers()))
                .build();
    }

    /**
     * An HTTP server (not yet listening) for {@code routes}: API versions 1.24 to 1.47 by prefix,
     * dockerd's common headers, {@link ErrorMapper}'s error bodies, Docker's wire JSON.
     */
    public static HttpServer server(Router routes) {
        return new HttpServer(new ApiRouter(routes), commonHeaders(), new ErrorMapper(), Json.wire());
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
