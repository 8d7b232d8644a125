package io.berth.engine.daemon;

import io.berth.engine.service.SystemService;
import io.berth.engine.service.NetworkService;
import io.berth.engine.service.ImageService;
import io.berth.engine.service.ExecService;
import io.berth.engine.service.ContainerResourceService;
import io.berth.engine.service.ContainerFsService;
import io.berth.engine.service.ContainerService;
import io.berth.engine.events.EventBus;

/**
 * The composition root of the engine: opens the stores under the data root (taking its lock)
 * and hands out the backends the API routers call. Close it to release the lock.
 */
public final class Engine implements AutoCloseable {
    private final EngineOptions options;
    private final EventBus events;
    private final DataRootLock lock;
    private final ImageService images;
    private final SystemService system;
    private final ContainerService containers;
    private ExecService exec;
    private ContainerResourceService resources;
    private ContainerFsService containerFs;
    private io.berth.engine.network.NetworkManager networks;
    private io.berth.engine.service.VolumeService volumes;

    private Engine(EngineOptions options, DataRootLock lock, ImageService images, SystemService system, EventBus events,
                   ContainerService containers) {
        this.options = options;
        this.containers = containers;
        this.events = events;
        this.lock = lock;
        this.images = images;
        this.system = system;
    }

    /**
     * Opens the engine. Throws {@link io.berth.api.errors.BerthException.Conflict} when another
     * daemon holds the data root.
     */
    public static Engine open(EngineOptions options) {
        DataRootLock lock = DataRootLock.acquire(options.dataRoot());
        try {
            return EngineWiring.wire(options, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    static Engine of(EngineOptions options, DataRootLock lock, ImageService images, SystemService system, EventBus events,
                     ContainerService containers) {
        return new Engine(options, lock, images, system, events, containers);
    }

    public EngineOptions options() { return options; }

    public EventBus events() { return events; }

    public ImageService images() { return images; }

    public SystemService system() { return system; }

    public ContainerService containers() { return containers; }

    Engine with(ExecService execService, ContainerResourceService resourceService) {
        this.exec = execService;
        this.resources = resourceService;
        return this;
    }

    /** Exec instances in running containers. */
    public ExecService exec() { return exec; }

    /** top, stats and update of containers. */
    public ContainerResourceService resources() { return resources; }

    public ContainerFsService containerFs() { return containerFs; }

    /** The networks (null in engines built without networking). */
    public NetworkService networks() { return networks; }

    Engine withNetworks(io.berth.engine.network.NetworkManager n) {
        this.networks = n;
        return this;
    }

    public io.berth.engine.service.VolumeService volumes() { return volumes; }

    Engine withVolumes(io.berth.engine.service.VolumeService v) {
        this.volumes = v;
        return this;
    }

    Engine withContainerFs(ContainerFsService fs) {
        this.containerFs = fs;
        return this;
    }

    @Override public void close() {
        if (networks != null) networks.close();
        lock.close();
    }
}
