package io.berth.engine.container;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Waits for files to arrive (a runtime's pid file) through one inotify watch ({@link WatchService}) and one virtual
 * thread for the whole daemon: each wait registers its file's directory, its own, and is checked when that directory
 * changes; nothing polls. Made at the first wait ({@link #shared()}).
 */
final class FileArrivals {
    private record Waiting(BooleanSupplier ready, CompletableFuture<Void> done) {}

    private static FileArrivals shared;

    private final WatchService watch;
    private final Map<WatchKey, Waiting> waiting = new ConcurrentHashMap<>();

    FileArrivals() throws IOException {
        this.watch = FileSystems.getDefault().newWatchService();
        Thread.ofVirtual().name("berth-file-arrivals").start(this::loop);
    }

    /** The daemon's. */
    static synchronized FileArrivals shared() throws IOException {
        if (shared == null) shared = new FileArrivals();
        return shared;
    }

    /**
     * Completes once {@code ready} holds: checked at once and whenever something in {@code dir} is created or
     * changed. {@code dir} must be watched by no other wait (an exec's own directory).
     */
    CompletableFuture<Void> await(Path dir, BooleanSupplier ready) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        WatchKey key = dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        waiting.put(key, new Waiting(ready, done));
        done.whenComplete((v, e) -> {
            waiting.remove(key);
            key.cancel();
        });
        if (ready.getAsBoolean()) done.complete(null); // after registering: what came before is seen here
        return done;
    }

    private void loop() {
        while (true) {
            WatchKey key;
            try {
                key = watch.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            key.pollEvents();
            Waiting w = waiting.get(key);
            if (w != null && w.ready().getAsBoolean()) w.done().complete(null);
            key.reset();
        }
    }
}
