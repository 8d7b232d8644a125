package io.berth.server.api;

import io.berth.engine.service.BuildService;
import io.berth.engine.service.ContainerFsService;
import io.berth.engine.service.ContainerResourceService;
import io.berth.engine.service.ContainerService;
import io.berth.engine.service.ExecService;
import io.berth.engine.service.ImageService;
import io.berth.engine.service.MetricsService;
import io.berth.engine.service.NetworkService;
import io.berth.engine.service.SystemService;
import io.berth.engine.service.DistributionService;
import io.berth.engine.service.EventService;
import io.berth.engine.service.VolumeService;

/**
 * The backends the API's routers call, one per resource, and the metrics the metrics front serves. The first four are
 * required; a null optional backend leaves its routes out (tests serve only what they fake).
 */
public record Backends(SystemService system, EventService events, ImageService images, ContainerService containers,
                       ContainerFsService containerFs, ExecService exec, ContainerResourceService resources,
                       VolumeService volumes, NetworkService networks, DistributionService distribution,
                       BuildService build, MetricsService metrics) {

    /** Only the system, image and container routes. */
    public static Backends basic(SystemService system, EventService events, ImageService images, ContainerService containers) {
        return new Backends(system, events, images, containers, null, null, null, null, null, null, null, null);
    }
}
