package io.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates container logs as Docker's json-file and local drivers do: when {@code <log>} reaches
 * {@link Policy#maxSize()} it becomes {@code <log>.1}, {@code .1} becomes {@code .2} …, files past
 * {@code maxFiles - 1} rotated ones are dropped, and the writer is told to reopen (conmon keeps
 * writing to the renamed file until it does, so no line is lost). With {@code maxFiles == 1} the
 * file is dropped instead (Docker truncates it).
 *
 * <p>Growth is noticed with inotify: one {@link WatchService} and one thread for all watched logs,
 * reacting to {@code ENTRY_MODIFY} of the log file and checking its size at most every
 * {@value #MIN_CHECK_MS} ms per log (a check that falls in that window is made when it ends). No
 * polling while nothing is written.
 */
public final class LogRotator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogRotator.class);
    static final long MIN_CHECK_MS = 1;

    /**
     * How large the current file may grow and how many files (the current one included) are kept.
     */
    public record Policy(long maxSize, int maxFiles) {
        public Policy {
            if (maxSize <= 0) throw new IllegalArgumentException("max-size must be a positive number");
            if (maxFiles < 1) throw new IllegalArgumentException("max-file cannot be less than 1");
        }

        /**
         * A size limit for the writer itself (conmon's {@code --log-size-max}, which truncates) far
         * above {@link #maxSize()}: it only matters when berthd is not there to rotate.
         */
        public long safetyCap() {
            return maxSize >= Long.MAX_VALUE / 8 ? Long.MAX_VALUE : Math.max(maxSize * 4, maxSize + 64L * 1024 * 1024);
        }
    }

    private static final class Watched {
        final String id;
        final Path log;
        final Policy policy;
        final Runnable reopen;
        final WatchKey key;
        long lastCheckNanos;
        boolean cancelled;

        Watched(String id, Path log, Policy policy, Runnable reopen, WatchKey key) {
            this.id = id;
            this.log = log;
            this.policy = policy;
            this.reopen = reopen;
            this.key = key;
        }
    }

    private final WatchService watch;
    private final Thread thread;
    private final Map<String, Watched> byId = new ConcurrentHashMap<>();
    private final Map<WatchKey, Watched> byKey = new ConcurrentHashMap<>();

    public LogRotator() throws IOException {
        this.watch = FileSystems.getDefault().newWatchService();
        this.thread = Thread.ofPlatform().daemon().name("berth-log-rotator").start(this::run);
    }

    /**
     * Watches {@code log} (replacing an earlier watch of {@code id}) and rotates it right away if it
     * is already too large; {@code reopen} tells the writer to reopen the log's path.
     */
    public void watch(String id, Path log, Policy policy, Runnable reopen) throws IOException {
        unwatch(id);
        Path abs = log.toAbsolutePath();
        WatchKey key = abs.getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY);
        Watched w = new Watched(id, abs, policy, reopen, key);
        byId.put(id, w);
        byKey.put(key, w);
        check(w);
    }

    /** Stops watching {@code id}'s log; a rotation under way finishes first. */
    public void unwatch(String id) {
        Watched w = byId.remove(id);
        if (w == null) return;
        byKey.remove(w.key, w);
        synchronized (w) {
            w.cancelled = true;
            w.key.cancel();
        }
    }

    /** Whether {@code id}'s log is watched. */
    public boolean watching(String id) {
        return byId.containsKey(id);
    }

    private void run() {
        Set<Watched> due = new HashSet<>();
        try {
            for (;;) {
                WatchKey key;
                if (due.isEmpty()) {
                    key = watch.take();
                } else {
                    long now = System.nanoTime();
                    long wait = Long.MAX_VALUE;
                    for (Watched w : due) wait = Math.min(wait, w.lastCheckNanos + TimeUnit.MILLISECONDS.toNanos(MIN_CHECK_MS) - now);
                    key = wait <= 0 ? watch.poll() : watch.poll(wait, TimeUnit.NANOSECONDS);
                }
                if (key != null) {
                    Watched w = byKey.get(key);
                    for (WatchEvent<?> ev : key.pollEvents()) {
                        if (w != null && (ev.kind() == StandardWatchEventKinds.OVERFLOW || w.log.getFileName().equals(ev.context()))) {
                            due.add(w);
                        }
                    }
                    key.reset();
                }
                long now = System.nanoTime();
                for (var it = due.iterator(); it.hasNext(); ) {
                    Watched w = it.next();
                    if (now - w.lastCheckNanos >= TimeUnit.MILLISECONDS.toNanos(MIN_CHECK_MS)) {
                        it.remove();
                        check(w);
                    }
                }
            }
        } catch (ClosedWatchServiceException e) {
            // closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void check(Watched w) {
        synchronized (w) {
            if (w.cancelled) return;
            w.lastCheckNanos = System.nanoTime();
            try {
                long size;
                try {
                    size = Files.size(w.log);
                } catch (NoSuchFileException e) {
                    return; // between a rotation and the writer's reopen
                }
                if (size >= w.policy.maxSize()) {
                    rotate(w.log, w.policy.maxFiles(), w.reopen);
                    LOG.debug("rotated the log of {} at {} bytes", w.id, size);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot rotate the log of {}: {}", w.id, e.toString());
            }
        }
    }

    /**
     * Rotates {@code log} now: {@code .(n-1)} → {@code .n} … {@code log} → {@code .1}, keeping at
     * most {@code maxFiles - 1} rotated files, then runs {@code reopen}. With {@code maxFiles == 1}
     * the current file is dropped. Does nothing if {@code log} does not exist.
     */
    public static void rotate(Path log, int maxFiles, Runnable reopen) throws IOException {
        if (!Files.exists(log)) return;
        if (maxFiles <= 1) {
            Files.deleteIfExists(log);
        } else {
            for (int n = maxFiles - 1; n >= 2; n--) {
                Path from = LogFiles.rotated(log, n - 1);
                if (Files.exists(from)) {
                    Files.move(from, LogFiles.rotated(log, n), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(log, LogFiles.rotated(log, 1), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        reopen.run();
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException e) {
            LOG.debug("closing the log watch: {}", e.toString());
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
