package io.berth.registry.auth;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An htpasswd file that is read again when it changes (the kernel tells, through a {@link WatchService} on its
 * directory; nothing polls). A file that no longer parses leaves the users as they were, with a warning.
 */
public final class HtpasswdFile implements Supplier<Htpasswd>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HtpasswdFile.class);

    private final Path file;
    private final WatchService watcher;
    private volatile Htpasswd current;

    private HtpasswdFile(Path file, Htpasswd first, WatchService watcher) {
        this.file = file;
        this.current = first;
        this.watcher = watcher;
    }

    /** Reads {@code file} (failing as {@link Htpasswd#load} does) and starts watching it. */
    public static HtpasswdFile watch(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Htpasswd first = Htpasswd.load(abs);
        WatchService watcher = FileSystems.getDefault().newWatchService();
        abs.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        HtpasswdFile f = new HtpasswdFile(abs, first, watcher);
        Thread.ofVirtual().name("berth-registry-htpasswd").start(f::run);
        return f;
    }

    @Override public Htpasswd get() { return current; }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean ours = false;
                for (WatchEvent<?> e : key.pollEvents()) ours |= file.getFileName().equals(e.context());
                key.reset();
                if (ours) reload();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        }
    }

    private void reload() {
        try {
            Htpasswd next = Htpasswd.load(file);
            current = next;
            LOG.info("reloaded {}: {} users", file, next.size());
        } catch (IOException | RuntimeException e) {
            LOG.warn("keeping the users of {} as they were: {}", file, e.getMessage());
        }
    }

    @Override public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("closing the watch of {}: {}", file, e.toString());
        }
    }
}
