package io.berth.engine.daemon;

import io.berth.engine.archive.LayerApplier;
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

    static Engine wire(EngineOptions options, DataRootLock lock) {
        Path root = options.dataRoot();
        ContentStore content = new ContentStore(root.resolve("content"));
        OverlaySnapshotter snapshots = new OverlaySnapshotter(root.resolve("snapshots"));
        ImageStore imageStore = new ImageStore(root.resolve("images"), content, snapshots);
        try {
            imageStore.collect(); // blobs and layers a crash left unreferenced
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the image store", e);
        }
        ImageRegistrar registrar = new ImageRegistrar(imageStore, new LayerApplier(Sys.linux()));
        var events = new io.berth.engine.events.EventBus();
        LocalImageService images = new LocalImageService(imageStore, registrar, events);
        SystemService system = new LocalSystemService(options, HostFacts.read(root), engineId(root), imageStore, images, events);
        return Engine.of(options, lock, images, system, events);
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
