package io.berth.server.api;

import io.berth.api.ApiVersion;
import io.berth.engine.daemon.ContainerResourceService;
import io.berth.engine.daemon.ContainerService;
import io.berth.engine.daemon.ExecService;
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

    /** With the volume routes when {@code volumes} is not null. */
    public static Router router(SystemService system, EventBus events, ImageService images, ContainerService containers,
                                io.berth.engine.daemon.ContainerFsService containerFs, io.berth.engine.volume.VolumeService volumes) {
        return router(system, events, images, containers, containerFs, volumes, null, null);
    }

    /** With the exec and container-resource (top, stats, update) routes when those backends are not null. */
    public static Router router(SystemService system, EventBus events, ImageService images, ContainerService containers,
                                io.berth.engine.daemon.ContainerFsService containerFs, io.berth.engine.volume.VolumeService volumes,
                                ExecService exec, ContainerResourceService resources) {
        Router.Builder b = Router.builder();
        if (volumes != null) b.add(new VolumesRouter(volumes));
        if (containerFs != null) b.add(new ContainerFilesRouter(containerFs)); // before /containers/{id}/… and /containers/{id}
        if (exec != null) b.add(new ExecRouter(exec));
        if (resources != null) b.add(new ContainerResourcesRouter(resources));
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
