package io.berth.server.api;

import io.berth.api.ApiVersion;
import io.berth.engine.daemon.ContainerService;
import io.berth.engine.daemon.ImageService;
import io.berth.engine.daemon.SystemService;
import io.berth.engine.events.EventBus;
import io.berth.server.BuildInfo;
import io.berth.server.http.Headers;
import io.berth.server.http.Router;

/** Assembles the API: every resource router, and the headers dockerd sends on every response. */
public final class ApiRoutes {
    private ApiRoutes() {}

    public static Router router(SystemService system, EventBus events, ImageService images, ContainerService containers) {
        return router(system, events, images, containers, null);
    }

    /** With the container file system routes when {@code containerFs} is not null. */
    public static Router router(SystemService system, EventBus events, ImageService images, ContainerService containers,
                                io.berth.engine.daemon.ContainerFsService containerFs) {
        return router(system, events, images, containers, containerFs, null);
    }

    /** With the network routes when {@code networks} is not null. */
    public static Router router(SystemService system, EventBus events, ImageService images, ContainerService containers,
                                io.berth.engine.daemon.ContainerFsService containerFs, io.berth.engine.daemon.NetworkService networks) {
        Router.Builder b = Router.builder();
        if (networks != null) b.add(new NetworksRouter(networks));
        if (containerFs != null) b.add(new ContainerFilesRouter(containerFs)); // before /containers/{id}/… and /containers/{id}
        return b
                .versions(ApiVersion.MIN, ApiVersion.CURRENT)
                .add(new SystemRouter(system, events))
                .add(new ImagesRouter(images))
                .add(new ContainersRouter(containers))
                .build();
    }

    /** {@code Server}, {@code Api-Version}, {@code Docker-Experimental}, {@code Ostype}, as dockerd. */
    public static Headers commonHeaders() {
        return new Headers()
                .add("Server", "Berth/" + BuildInfo.version() + " (linux)")
                .add("Api-Version", ApiVersion.CURRENT.toString())
                .add("Docker-Experimental", "false")
                .add("Ostype", "linux");
    }
}
