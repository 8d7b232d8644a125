package io.berth.engine.daemon;

import io.berth.engine.archive.LayerApplier;
import io.berth.engine.build.Builder;
import io.berth.engine.build.DockerfileFrontend;
import io.berth.engine.build.EngineBuildBackend;
import io.berth.engine.container.ContainerEtcFiles;
import io.berth.engine.container.ContainerFiles;
import io.berth.engine.container.ContainerLifecycle;
import io.berth.engine.container.ContainerLocks;
import io.berth.engine.container.ContainerResources;
import io.berth.engine.container.ContainerRootfs;
import io.berth.engine.container.ContainerSpecs;
import io.berth.engine.container.ContainerStore;
import io.berth.engine.container.ExecManager;
import io.berth.engine.container.ExecProbes;
import io.berth.engine.container.HealthMonitor;
import io.berth.engine.container.LocalContainerFs;
import io.berth.engine.container.LocalContainerService;
import io.berth.engine.content.ContentStore;
import io.berth.engine.distribution.HttpRegistryClient;
import io.berth.engine.distribution.ImagePuller;
import io.berth.engine.distribution.ImagePusher;
import io.berth.engine.distribution.LocalDistributionService;
import io.berth.engine.distribution.V2Metadata;
import io.berth.engine.events.EventBus;
import io.berth.engine.metrics.EngineMetrics;
import io.berth.engine.image.ImageCommitter;
import io.berth.engine.image.ImageRegistrar;
import io.berth.engine.image.ImageStore;
import io.berth.engine.image.LocalImageService;
import io.berth.engine.network.NetworkManager;
import io.berth.engine.runtime.Binaries;
import io.berth.engine.runtime.CgroupDynmods;
import io.berth.engine.runtime.ConmonRuntime;
import io.berth.engine.runtime.ContainerMountDirs;
import io.berth.engine.runtime.LogRotator;
import io.berth.engine.runtime.RuntimeLauncher;
import io.berth.engine.runtime.Runtimes;
import io.berth.engine.snapshot.OverlaySnapshotter;
import io.berth.engine.sys.MountInfo;
import io.berth.engine.sys.Sys;
import io.berth.engine.system.HostFacts;
import io.berth.engine.system.LocalSystemService;
import io.berth.engine.volume.LocalVolumeService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the engine from its options with plain constructors, bottom-up: each part is given what it
 * needs when it is made. What holds threads, watches or locks is remembered in build order, so
 * the engine (or a failed build) closes it last first.
 */
final class EngineWiring {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineWiring.class);

    private EngineWiring() {}

    private static long lap(String what, long since) {
        long now = System.nanoTime();
        LOG.debug("{} in {} ms", what, (now - since) / 1_000_000);
        return now;
    }

    /** Creates {@code dirs} where they are missing; returns them. */
    private static List<Path> directories(Path... dirs) {
        try {
            for (Path d : dirs) Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the container directories under the exec root", e);
        }
        return List.of(dirs);
    }

    static Engine wire(EngineOptions options) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            long t = System.nanoTime();
            opened.add(DataRootLock.acquire(options.dataRoot()));
            lap("data root locked", t);
            List<Runnable> deferred = new ArrayList<>();
            return new Engine(options, services(options, opened, deferred), opened, deferred);
        } catch (RuntimeException e) {
            try {
                Engine.closeReversed(opened);
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    /**
     * Builds the services, adding what must be closed to {@code opened} as it is made, and to {@code deferred} what
     * can wait until berthd answers (each part does it on first use anyway).
     */
    private static Engine.Services services(EngineOptions options, List<AutoCloseable> opened, List<Runnable> deferred) {
        long t = System.nanoTime();
        Path root = options.dataRoot();
        Path data = root.resolve("containers");
        Path exec = options.execRoot();
        var metrics = new EngineMetrics();
        var events = new EventBus(metrics::event);
        var volumes = new LocalVolumeService(root.resolve("volumes"), data, events, Sys.linux());
        ContainerStore store = new ContainerStore(data);
        ContentStore content = new ContentStore(root.resolve("content"));
        OverlaySnapshotter snapshots = new OverlaySnapshotter(root.resolve("snapshots"));
        V2Metadata origins = new V2Metadata(root.resolve("distribution"));
        ImageStore imageStore = new ImageStore(root.resolve("images"), content, snapshots, store, origins);
        try {
            imageStore.collect(); // blobs and layers a crash left unreferenced
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the image store", e);
        }
        t = lap("image store opened", t);
        ImageRegistrar registrar = new ImageRegistrar(imageStore, new LayerApplier(Sys.linux()));
        LocalImageService images = new LocalImageService(imageStore, registrar, events, store);

        ContainerLocks locks = new ContainerLocks(store);
        ContainerFiles files = new ContainerFiles(data);
        ContainerEtcFiles etc = new ContainerEtcFiles(files);
        ContainerRootfs rootfs = new ContainerRootfs(Sys.linux(), snapshots, data, exec.resolve("containers"), volumes);
        // crun runs on a hybrid cgroup host only behind berth-runtime-ns; without it, runc is the default (unless configured)
        RuntimeLauncher crunLauncher = RuntimeLauncher.forCrun();
        Runtimes runtimes = Runtimes.of(options.runtimes(), options.defaultRuntime(), crunLauncher.usable());
        if (crunLauncher instanceof RuntimeLauncher.Missing missing && runtimes.find(Runtimes.CRUN).isPresent()) {
            LOG.warn("crun is installed but cannot run containers here: {}", missing.message());
        }
        ContainerMountDirs mountDirs = crunLauncher instanceof RuntimeLauncher.OwnNamespace
                ? ContainerMountDirs.prepare(Sys.linux(), MountInfo.self(), directories(exec.resolve("containers"), exec.resolve("netns")))
                : ContainerMountDirs.NONE;
        opened.add(() -> mountDirs.release(Sys.linux()));
        var runtimeConfig = new ConmonRuntime.Config(Binaries.require("conmon"), runtimes, exec, exec.resolve("runtime"), crunLauncher,
                mountDirs);
        ConmonRuntime runtime;
        LogRotator logRotator;
        try {
            runtime = add(opened, new ConmonRuntime(runtimeConfig));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the container runtime under " + exec, e);
        }
        try {
            logRotator = add(opened, new LogRotator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch container logs", e);
        }
        if (options.favorCgroupDynmods()) deferred.add(() -> CgroupDynmods.favor(Sys.linux(), MountInfo.self()));
        t = lap("container runtime ready", t);
        var host = io.berth.engine.runtime.spec.HostFacts.probe(Binaries.find("tini-static").or(() -> Binaries.find("catatonit"))
                .or(() -> Binaries.find("docker-init")).orElse(null));
        t = lap("host facts probed", t);
        ContainerSpecs specs = new ContainerSpecs(host, files, ref -> store.find(ref).orElse(null), volumes);
        volumes.recover(id -> store.get(id).map(c -> c.state().status().isRunning()).orElse(false));
        var networks = new NetworkManager(new NetworkManager.Options(
                root.resolve("networks"), exec.resolve("netns"), options.bridge(), options.bip()), events, locks, etc);
        var runc = runtime.commands();
        var health = add(opened, new HealthMonitor(store, locks, events, new ExecProbes(rootfs, runc, exec.resolve("hc")), metrics));
        ContainerLifecycle lifecycle = add(opened, new ContainerLifecycle(store, locks, runtime, rootfs, files, specs, events,
                networks.hooks(), health, logRotator, metrics));
        LocalContainerService service = new LocalContainerService(store, imageStore, lifecycle, files, etc, rootfs, events,
                networks.hooks(), runtimes);
        var committer = new ImageCommitter(imageStore, registrar, events);
        var containerFs = new LocalContainerFs(store, lifecycle, rootfs, files, imageStore, committer, events, Sys.linux(), volumes);
        networks.open();
        t = lap("networks opened", t);
        lifecycle.recover();
        networks.resume();
        add(opened, networks); // only now: closing networks that have not adopted the running containers would unplug them
        var execs = new ExecManager(store, rootfs, lifecycle, events, runc, exec.resolve("x"));
        deferred.add(execs::prepare);
        var resources = new ContainerResources(store, rootfs, lifecycle, events, runc);
        t = lap("containers recovered", t);
        String engineId = LocalSystemService.engineId(root);
        HostFacts hostFacts = HostFacts.read(root);
        var system = new LocalSystemService(new LocalSystemService.Daemon(engineId, root, options.labels(),
                options.debug(), options.registry(), runtimes), hostFacts, imageStore, images, events, service, volumes::diskUsage);
        metrics.engine(new EngineMetrics.EngineInfo(io.berth.engine.service.BerthVersion.VERSION, "", HostFacts.architecture(),
                "overlay2", hostFacts.kernelVersion(), hostFacts.operatingSystem(), "linux", hostFacts.osVersion(), engineId),
                () -> {
                    int[] n = service.counts();
                    return Map.of("running", n[0], "paused", n[1], "stopped", n[2]);
                });
        t = lap("system facts read", t);
        var registries = new HttpRegistryClient(options.registry());
        var distribution = new LocalDistributionService(registries,
                new ImagePuller(registries, imageStore, registrar, events, origins, options.registry()),
                new ImagePusher(imageStore, registrar, registries, origins, origins, options.registry().maxConcurrentUploads()));
        var buildBackend = new EngineBuildBackend(imageStore, images, committer, store, service, lifecycle, rootfs, distribution,
                Sys.linux());
        buildBackend.removeLeftovers(); // the build containers of a daemon that stopped mid-build
        Path buildRoot = root.resolve("build");
        // built on first use (a remote context, ADD <url>): its TLS set-up is not on the start path
        HttpClient http = add(opened, new LazyHttpClient(() -> HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .build()));
        var frontend = add(opened, new DockerfileFrontend(Sys.linux(), http, Builder.scratch(buildRoot)));
        var builder = new Builder(buildBackend, frontend, buildRoot);
        lap("distribution and build wired", t);
        return new Engine.Services(events, images, system, service, containerFs, execs, resources, volumes, networks,
                distribution, builder, metrics);
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T part) {
        opened.add(part);
        return part;
    }
}
