package io.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Completes futures when conmon writes exit files into one directory. One inotify watch
 * (java.nio {@link WatchService}) and one virtual thread serve all containers; nothing polls.
 */
final class ExitWatcher implements AutoCloseable {
    private final Path dir;
    private final WatchService watch;
    private final Map<String, CompletableFuture<ExitStatus>> waiting = new ConcurrentHashMap<>();
    private final Function<String, Boolean> oomCheck;
    private final Thread thread;

    ExitWatcher(Path dir, Function<String, Boolean> oomCheck) throws IOException {
        this.dir = dir;
        this.oomCheck = oomCheck;
        Files.createDirectories(dir);
        this.watch = FileSystems.getDefault().newWatchService();
        dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        this.thread = Thread.ofVirtual().name("berth-exit-watcher").start(this::loop);
    }

    Path fileOf(String id) {
        return dir.resolve(id);
    }

    /** The future of a container's exit; already complete if its exit file is there. */
    CompletableFuture<ExitStatus> onExit(String id) {
        CompletableFuture<ExitStatus> f = waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
        check(id); // after registering: an exit written before now is seen here, one written later by the watcher
        return f;
    }

    /** The exit status if the exit file is complete, else null. */
    ExitStatus read(String id) {
        Path file = fileOf(id);
        try {
            String text = Files.readString(file).strip();
            if (text.isEmpty()) return null; // created, not yet written: a MODIFY event follows
            Instant when = Files.readAttributes(file, BasicFileAttributes.class).lastModifiedTime().toInstant();
            return new ExitStatus(Integer.parseInt(text), when, oomCheck.apply(id));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Forgets a container and removes its exit file; a waiter not yet told of an exit learns it was deleted. */
    void forget(String id) throws IOException {
        check(id);
        CompletableFuture<ExitStatus> f = waiting.remove(id);
        if (f != null) f.completeExceptionally(new io.berth.api.errors.BerthException.NotFound("container " + id + " was deleted"));
        Files.deleteIfExists(fileOf(id));
    }

    private void check(String id) {
        CompletableFuture<ExitStatus> f = waiting.get(id);
        if (f == null || f.isDone()) return;
        ExitStatus s = read(id);
        if (s != null) f.complete(s);
    }

    private void loop() {
        try {
            for (;;) {
                WatchKey key = watch.take();
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                        waiting.keySet().forEach(this::check);
                    } else if (ev.context() instanceof Path name) {
                        check(name.toString());
                    }
                }
                if (!key.reset()) {
                    waiting.values().forEach(f -> f.completeExceptionally(new IOException("exit directory " + dir + " is gone")));
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed: the driver is shutting down
        }
    }

    @Override
    public void close() throws IOException {
        watch.close();
    }
}
