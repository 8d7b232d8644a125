package io.berth.server.api;

import io.berth.engine.daemon.ContainerFsService;
import io.berth.engine.daemon.ContainerResourceService;
import io.berth.engine.daemon.ContainerService;
import io.berth.engine.daemon.Engine;
import io.berth.engine.daemon.ExecService;
import io.berth.engine.daemon.ImageService;
import io.berth.engine.daemon.NetworkService;
import io.berth.engine.daemon.SystemService;
import io.berth.engine.events.EventBus;
import io.berth.engine.volume.VolumeService;

/**
 * The backends the API's routers call, one per resource. The first four are required; a null
 * optional backend leaves its routes out (tests serve only what they fake).
 */
public record Backends(SystemService system, EventBus events, ImageService images, ContainerService containers,
                       ContainerFsService containerFs, ExecService exec, ContainerResourceService resources,
                       VolumeService volumes, NetworkService networks) {

    public static Backends of(Engine e) {
        return new Backends(e.system(), e.events(), e.images(), e.containers(), e.containerFs(), e.exec(), e.resources(),
                e.volumes(), e.networks());
    }

    /** Only the system, image and container routes. */
    public static Backends basic(SystemService system, EventBus events, ImageService images, ContainerService containers) {
        return new Backends(system, events, images, containers, null, null, null, null, null);
    }
}
