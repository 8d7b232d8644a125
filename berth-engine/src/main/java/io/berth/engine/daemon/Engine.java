package io.berth.engine.daemon;

import io.berth.engine.events.EventBus;
import io.berth.engine.service.BuildService;
import io.berth.engine.service.MetricsService;
import io.berth.engine.service.ContainerFsService;
import io.berth.engine.service.DistributionService;
import io.berth.engine.service.ContainerResourceService;
import io.berth.engine.service.ContainerService;
import io.berth.engine.service.ExecService;
import io.berth.engine.service.ImageService;
import io.berth.engine.service.NetworkService;
import io.berth.engine.service.SystemService;
import io.berth.engine.service.VolumeService;
import io.berth.engine.sys.Downcall;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine as {@link EngineWiring} built it: the backends the API routers call, and what it
 * opened (the data-root lock, the runtime's exit watcher, the log rotator, the restart timers, the
 * networks), closed in reverse order by {@link #close()}. Closing stops no container: they run on
 * under their monitors and the next engine adopts them (live restore).
 */
public final class Engine implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engine.class);
    private final EngineOptions options;
    private final EventBus events;
    private final ImageService images;
    private final SystemService system;
    private final ContainerService containers;
    private final ContainerFsService containerFs;
    private final ExecService exec;
    private final ContainerResourceService resources;
    private final VolumeService volumes;
    private final NetworkService networks;
    private final DistributionService distribution;
    private final BuildService build;
    private final MetricsService metrics;
    private final List<AutoCloseable> opened;
    private final List<Runnable> deferred;

    /** The face's backends; the services and parts the engine built, in the order it built them. */
    record Services(EventBus events, ImageService images, SystemService system, ContainerService containers,
                    ContainerFsService containerFs, ExecService exec, ContainerResourceService resources, VolumeService volumes,
                    NetworkService networks, DistributionService distribution, BuildService build, MetricsService metrics) {}

    Engine(EngineOptions options, Services s, List<AutoCloseable> opened, List<Runnable> deferred) {
        this.options = options;
        this.events = s.events();
        this.images = s.images();
        this.system = s.system();
        this.containers = s.containers();
        this.containerFs = s.containerFs();
        this.exec = s.exec();
        this.resources = s.resources();
        this.volumes = s.volumes();
        this.networks = s.networks();
        this.distribution = s.distribution();
        this.build = s.build();
        this.metrics = s.metrics();
        this.opened = List.copyOf(opened);
        this.deferred = List.copyOf(deferred);
    }

    /**
     * Opens the engine. Throws {@link io.berth.api.errors.BerthException.Conflict} when another
     * daemon holds the data root.
     */
    public static Engine open(EngineOptions options) {
        return EngineWiring.wire(options);
    }

    public EngineOptions options() { return options; }

    /**
     * What the start left for later, for the daemon to run once it answers (on a thread of its own): the runtime's
     * mount namespace, the native calls not linked yet. Each is also done by its first use, so nothing waits for this;
     * a failure is logged, and that first use meets it again.
     */
    public void finishStart() {
        for (Runnable r : deferred) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("deferred start-up work failed (it is retried at first use): {}", e.getMessage());
            }
        }
        Downcall.linkAll();
    }

    public EventBus events() { return events; }

    /** The engine's metrics in Prometheus' format. */
    public MetricsService metrics() { return metrics; }

    public ImageService images() { return images; }

    public SystemService system() { return system; }

    public ContainerService containers() { return containers; }

    /** Exec instances in running containers. */
    public ExecService exec() { return exec; }

    /** top, stats and update of containers. */
    public ContainerResourceService resources() { return resources; }

    public ContainerFsService containerFs() { return containerFs; }

    /** The networks. */
    public NetworkService networks() { return networks; }

    public VolumeService volumes() { return volumes; }

    /** Pull, push, login. */
    public DistributionService distribution() { return distribution; }

    /** Dockerfile builds. */
    public BuildService build() { return build; }

    /** Closes what the engine opened, last opened first; containers keep running. */
    @Override public void close() {
        closeReversed(opened);
    }

    /**
     * Closes {@code parts} last first, each even when an earlier one failed; throws the first
     * failure with the later ones suppressed.
     */
    static void closeReversed(List<AutoCloseable> parts) {
        List<AutoCloseable> reversed = new ArrayList<>(parts).reversed();
        RuntimeException failure = null;
        for (AutoCloseable part : reversed) {
            try {
                part.close();
            } catch (Exception e) {
                RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException("cannot close " + part + ": " + e, e);
                if (failure == null) failure = r;
                else failure.addSuppressed(r);
            }
        }
        if (failure != null) throw failure;
    }
}
