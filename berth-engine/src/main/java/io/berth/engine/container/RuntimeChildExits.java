package io.berth.engine.container;

import io.berth.engine.sys.ProcessExitEvents;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exits of the processes an OCI runtime process is the parent of, as the kernel reports them,
 * before the runtime itself exits. {@code runc exec} (not detached) relays the process's stdio
 * through pipes of its own and exits only when they reach end of file, which a background child
 * that inherited them delays as long as it lives; {@link ExecManager} learns here when the exec'd
 * process itself exited. Exits are dispatched by parent pid; the last few are kept so that a
 * watch begun just after the runtime started misses none.
 */
final class RuntimeChildExits {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeChildExits.class);
    private static final int BACKLOG = 256;

    /** A child's exit: its pid, exit code (128 + signal when killed) and when it was seen ({@link System#nanoTime}). */
    record Exit(int pid, int exitCode, long nanos) {}

    private final Map<Integer, Consumer<Exit>> watches = new ConcurrentHashMap<>();
    private final Deque<long[]> recent = new ArrayDeque<>(); // {parent, pid, code, nanos}, guarded by itself

    /** The host's process events, subscribed once for the whole daemon at first use; null when they cannot be had. */
    static RuntimeChildExits shared() { return Shared.INSTANCE; }

    private static final class Shared {
        static final RuntimeChildExits INSTANCE = system();
    }

    /** The host's process events on a daemon thread, or null when they cannot be had (no CAP_NET_ADMIN, no CONFIG_PROC_EVENTS). */
    private static RuntimeChildExits system() {
        ProcessExitEvents events;
        try {
            events = ProcessExitEvents.open();
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.info("no process events ({}): an exec whose background children keep its output open ends when they do", e.getMessage());
            return null;
        }
        RuntimeChildExits exits = new RuntimeChildExits();
        Thread.ofPlatform().daemon().name("process-exits").start(() -> {
            while (true) {
                try {
                    for (ProcessExitEvents.Exit x : events.receive()) exits.exited(x.parentPid(), x.pid(), x.exitCode(), System.nanoTime());
                } catch (IOException e) {
                    LOG.warn("process events: {}", e.getMessage()); // e.g. ENOBUFS after a burst: later events still come
                }
            }
        });
        return exits;
    }

    /** Calls {@code onExit} (on the receiving thread, which it must not block) for each child of {@code parent} that exits, including recent ones. */
    void watch(int parent, Consumer<Exit> onExit) {
        List<Exit> missed;
        synchronized (recent) {
            watches.put(parent, onExit);
            missed = recent.stream().filter(r -> r[0] == parent).map(r -> new Exit((int) r[1], (int) r[2], r[3])).toList();
        }
        missed.forEach(onExit);
    }

    void unwatch(int parent) { watches.remove(parent); }

    /** One exit from the kernel. */
    void exited(int parent, int pid, int exitCode, long nanos) {
        Consumer<Exit> w;
        synchronized (recent) {
            if (recent.size() == BACKLOG) recent.removeFirst();
            recent.addLast(new long[] {parent, pid, exitCode, nanos});
            w = watches.get(parent);
        }
        if (w != null) w.accept(new Exit(pid, exitCode, nanos));
    }
}
