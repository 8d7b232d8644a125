package io.berth.engine.daemon;

import io.berth.engine.service.SystemService;
import io.berth.engine.service.ExecService;
import io.berth.engine.service.ContainerResourceService;
import io.berth.engine.service.ContainerFsService;
import io.berth.engine.archive.LayerApplier;
import io.berth.engine.container.ContainerEtcFiles;
import io.berth.engine.container.ContainerFiles;
import io.berth.engine.container.ContainerLifecycle;
import io.berth.engine.container.ContainerLocks;
import io.berth.engine.container.ContainerRootfs;
import io.berth.engine.container.ContainerSpecs;
import io.berth.engine.container.ContainerStore;
import io.berth.engine.container.LocalContainerService;
import io.berth.engine.events.EventBus;
import io.berth.engine.runtime.ConmonRuntime;
import io.berth.engine.content.AtomicFiles;
import io.berth.engine.content.ContentStore;
import io.berth.engine.image.ImageRegistrar;
import io.berth.engine.image.ImageStore;
import io.berth.engine.image.LocalImageService;
import io.berth.engine.snapshot.OverlaySnapshotter;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Builds the engine's stores and services from its options: plain constructors, no framework. */
final class EngineWiring {
    private EngineWiring() {}

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngineWiring.class);

    private static long lap(String what, long since) {
        long now = System.nanoTime();
        LOG.debug("{} in {} ms", what, (now - since) / 1_000_000);
        return now;
    }

    static Engine wire(EngineOptions options, DataRootLock lock) {
        long t = System.nanoTime();
        Path root = options.dataRoot();
        ContentStore content = new ContentStore(root.resolve("content"));
        OverlaySnapshotter snapshots = new OverlaySnapshotter(root.resolve("snapshots"));
        ImageStore imageStore = new ImageStore(root.resolve("images"), content, snapshots);
        try {
            imageStore.collect(); // blobs and layers a crash left unreferenced
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the image store", e);
        }
        t = lap("image store opened", t);
        ImageRegistrar registrar = new ImageRegistrar(imageStore, new LayerApplier(Sys.linux()));
        var events = new EventBus();
        LocalImageService images = new LocalImageService(imageStore, registrar, events);
        var fs = new java.util.concurrent.atomic.AtomicReference<ContainerFsService>();
        var net = new java.util.concurrent.atomic.AtomicReference<io.berth.engine.network.NetworkManager>();
        var volumes = new io.berth.engine.volume.LocalVolumeService(root.resolve("volumes"), root.resolve("containers"), events, Sys.linux());
        var tools = new java.util.concurrent.atomic.AtomicReference<ContainerTools>();
        LocalContainerService containers = containers(options, imageStore, events, new io.berth.engine.image.ImageCommitter(imageStore, registrar, events), fs,
                volumes, tools, net);
        t = lap("containers opened", t);
        imageStore.addSnapshotRoots(containers::layersInUse);
        images.setContainerUsage(containers::usersOf);
        SystemService system = new LocalSystemService(options, HostFacts.read(root), engineId(root), imageStore, images, events,
                containers, volumes::diskUsage);
        lap("system facts read", t);
        return Engine.of(options, lock, images, system, events, containers).withContainerFs(fs.get()).withVolumes(volumes)
                .with(tools.get().exec(), tools.get().resources()).withNetworks(net.get());
    }

    private record ContainerTools(ExecService exec, ContainerResourceService resources) {}

    private static LocalContainerService containers(EngineOptions options, ImageStore images, EventBus events,
                                                     io.berth.engine.image.ImageCommitter committer,
                                                     java.util.concurrent.atomic.AtomicReference<ContainerFsService> fs,
                                                     io.berth.engine.volume.LocalVolumeService volumes,
                                                     java.util.concurrent.atomic.AtomicReference<ContainerTools> tools,
                                                     java.util.concurrent.atomic.AtomicReference<io.berth.engine.network.NetworkManager> net) {

        long t0 = System.nanoTime();
        Path data = options.dataRoot().resolve("containers");
        Path exec = options.execRoot();
        ContainerStore store = new ContainerStore(data);
        ContainerLocks locks = new ContainerLocks(store);
        ContainerFiles files = new ContainerFiles(data);
        ContainerEtcFiles etc = new ContainerEtcFiles(files);
        ContainerRootfs rootfs = new ContainerRootfs(Sys.linux(), images.snapshots(), data, exec.resolve("containers"));
        ConmonRuntime runtime;
        var runtimeConfig = new ConmonRuntime.Config(Binaries.require("conmon"), Binaries.require(options.runtime()),
                exec.resolve("runc"), exec.resolve("runtime"));
        try {
            runtime = new ConmonRuntime(runtimeConfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the container runtime under " + exec, e);
        }
        long t = lap("container runtime ready", t0);
        var host = io.berth.engine.runtime.spec.HostFacts.probe(Binaries.find("tini-static").or(() -> Binaries.find("catatonit"))
                .or(() -> Binaries.find("docker-init")).orElse(null));
        t = lap("host facts probed", t);
        ContainerSpecs specs = new ContainerSpecs(host, files, ref -> store.find(ref).orElse(null), volumes);
        rootfs.onRelease(volumes::unmountAll);
        volumes.recover(id -> store.get(id).map(c -> c.state().status().isRunning()).orElse(false));
        var networks = new io.berth.engine.network.NetworkManager(new io.berth.engine.network.NetworkManager.Options(
                options.dataRoot().resolve("networks"), exec.resolve("netns"), options.bridge(), options.bip()), events, locks, etc);
        ContainerLifecycle lifecycle = new ContainerLifecycle(store, locks, runtime, rootfs, files, specs, events, networks.hooks());
        LocalContainerService service = new LocalContainerService(store, images, lifecycle, files, etc, rootfs, events, networks.hooks());
        fs.set(new io.berth.engine.container.LocalContainerFs(store, lifecycle, rootfs, files, images, committer, events, Sys.linux()));
        networks.open();
        t = lap("networks opened", t);
        lifecycle.recover();
        networks.resume();
        net.set(networks);
        var runc = new io.berth.engine.runtime.RuncTool(runtimeConfig);
        tools.set(new ContainerTools(
                new io.berth.engine.container.ExecManager(store, rootfs, lifecycle, events, runc, exec.resolve("x")),
                new io.berth.engine.container.ContainerResources(store, rootfs, lifecycle, events, runc)));
        lap("containers recovered", t);
        return service;
    }

    private static String engineId(Path root) {
        Path f = root.resolve("engine-id");
        try {
            if (Files.exists(f)) return Files.readString(f).strip();
            String id = UUID.randomUUID().toString();
            AtomicFiles.write(f, id.getBytes(StandardCharsets.UTF_8));
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read engine id", e);
        }
    }
}
