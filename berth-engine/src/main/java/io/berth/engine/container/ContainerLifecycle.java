package io.berth.engine.container;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.container.RestartPolicy;
import io.berth.api.container.WaitResponse;
import io.berth.engine.content.AtomicFiles;
import io.berth.api.errors.BerthException;
import io.berth.engine.runtime.RuntimeState;
import io.berth.engine.events.EventBus;
import io.berth.engine.metrics.ContainerPhase;
import io.berth.engine.metrics.EngineMetrics;
import io.berth.engine.metrics.PhaseClock;
import io.berth.engine.runtime.Attach;
import io.berth.engine.runtime.OciRuntime;
import io.berth.engine.runtime.ContainerProcess;
import io.berth.engine.runtime.CreateOptions;
import io.berth.engine.runtime.ExitStatus;
import io.berth.engine.runtime.LogRotator;
import io.berth.engine.runtime.RuntimeErrors;
import io.berth.engine.container.ContainerState.Move;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container state machine over an {@link OciRuntime}: start, stop, kill, pause, exit handling,
 * restart policies with Docker's back-off, auto-remove, waits, attaches made before start, and
 * live restore. Every transition of one container happens under that container's lock, through
 * {@link ContainerState}'s guarded transitions; waiting for an exit never holds it.
 */
public final class ContainerLifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerLifecycle.class);
    private static final long BACKOFF_START_MS = 100;
    private static final long BACKOFF_MAX_MS = 60_000;

    /** Per-container coordination: its lock, the next exit, its removal, attaches waiting for start. */
    private static final class Tracker {
        final Object lock;
        CompletableFuture<Integer> nextExit = new CompletableFuture<>();
        final CompletableFuture<Integer> removed = new CompletableFuture<>();
        final List<CompletableFuture<Attach>> pendingAttach = new ArrayList<>();
        ScheduledFuture<?> restartTimer;
        long backoffMs = BACKOFF_START_MS;
        /** A removal killed the container and waits for its exit: the exit leaves the clean-up to the removal. */
        boolean removalWaiting;

        Tracker(Object lock) { this.lock = lock; }
    }

    private final ContainerStore store;
    private final OciRuntime runtime;
    private final ContainerRootfs rootfs;
    private final ContainerFiles files;
    private final ContainerSpecs specs;
    private final EventBus events;
    private final LogRotator logRotator;
    private final EngineMetrics metrics;
    private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();
    private final NetworkHooks networks;
    private final HealthHooks health;
    private final ContainerLocks locks;
    /** Clean-ups running at once: each forks the runtime and unmounts; a mass removal queues the rest. */
    private final java.util.concurrent.Semaphore cleanUps = new java.util.concurrent.Semaphore(4);
    /**
     * Network teardowns running at once, apart from the rest of the clean-ups: deleting a veth pair is mostly waiting
     * for the kernel (RCU), and those waits overlap; measured with 96 veth pairs in their own netns, 4 at a time took
     * 10 ms a pair, 16 at a time 3.7 ms.
     */
    private final java.util.concurrent.Semaphore networkTeardowns = new java.util.concurrent.Semaphore(16);
    /** Where the clean-ups run; closing the lifecycle waits for them, so a daemon that stops leaves nothing half-done. */
    private final java.util.concurrent.ExecutorService cleanUpThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("berth-cleanup-", 0).factory());
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("berth-restart-timer").factory());

    /**
     * {@code networks} sets a container's network up before the runtime creates it, and tears it down at exit and removal;
     * {@code health} runs the health checks while the container runs; {@code metrics} gets the time of each phase of a
     * start, exit and removal.
     */
    public ContainerLifecycle(ContainerStore store, ContainerLocks locks, OciRuntime runtime, ContainerRootfs rootfs,
                              ContainerFiles files, ContainerSpecs specs, EventBus events, NetworkHooks networks,
                              HealthHooks health, LogRotator logRotator, EngineMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
        this.health = health;
        this.locks = locks;
        this.networks = networks;
        this.runtime = runtime;
        this.rootfs = rootfs;
        this.files = files;
        this.specs = specs;
        this.events = events;
        this.logRotator = logRotator;
    }

    private Tracker tracker(String id) { return trackers.computeIfAbsent(id, k -> new Tracker(locks.of(k))); }

    void created(Container c) { tracker(c.id()); }

    /** Refuses at create what start would refuse (see {@link ContainerSpecs#validate}). */
    void validate(Container c) { specs.validate(c); }

    /** Where the phases of starts, exits and removals are timed. */
    EngineMetrics metrics() { return metrics; }

    /** The containers' volumes. */
    public io.berth.engine.volume.ContainerVolumes volumes() { return specs.volumes(); }

    /** Runs {@code body} under the container's lock: no start, stop or removal interleaves (archive, export, commit). */
    public <T> T locked(String id, java.util.function.Supplier<T> body) { return locks.locked(id, body); }

    // ---- start ----

    /** Starts a created or exited container; false if it was already running. */
    public boolean start(String id) {
        Tracker t = tracker(id);
        synchronized (t.lock) {
            Container c = store.require(id);
            if (c.state().status().isRunning()) return false; // Docker's 304: nothing to do
            c.state().check(id, Move.START);
            if (t.restartTimer != null) {
                t.restartTimer.cancel(false);
                t.restartTimer = null;
            }
            try {
                startLocked(c, t, "start");
            } catch (RuntimeException e) {
                // dockerd removes an auto-remove container whose start failed (the CLI waits for that)
                if (Boolean.TRUE.equals(c.hostConfig().autoRemove())) remove(id, true, true);
                throw e;
            }
            return true;
        }
    }

    private void startLocked(Container c, Tracker t, String action) {
        String id = c.id();
        ContainerProcess p;
        PhaseClock clock = new PhaseClock(metrics);
        try {
            // a build step's and an auto-remove container's writable layer is thrown away after the run: no sync of
            // the data root when it is unmounted (volatile), and nothing a host crash could lose that would be kept
            Path root = rootfs.mount(id, c.layerChainIds(), c.buildStep() || removedAfterExit(c));
            clock.lap(ContainerPhase.MOUNT);
            Path netns = networks.setUp(c);
            clock.lap(ContainerPhase.NETWORK);
            ObjectNode spec = specs.build(c, root, netns, networks.linkEnv(c));
            clock.lap(ContainerPhase.SPEC);
            LogRotator.Policy rotation = ContainerValidation.logRotation(c.hostConfig());
            CreateOptions opts = logOptions(c).withTty(c.tty())
                    .withStdin(c.config().openStdin(), c.config().stdinOnce())
                    .withLogMaxSize(rotation == null ? 0 : rotation.safetyCap()) // berthd rotates; conmon's cap is a backstop
                    .withRuntime(c.hostConfig().runtime()); // the one inspect names: chosen (or defaulted) at create
            p = runtime.create(id, rootfs.bundle(id), spec, opts);
            clock.lap(ContainerPhase.RUNTIME_CREATE);
        } catch (IOException | RuntimeException e) {
            failStart(c, t, e);
            throw e instanceof BerthException be ? be : new BerthException.SystemError("cannot start container " + id + ": " + e.getMessage(), e);
        }
        for (CompletableFuture<Attach> f : t.pendingAttach) {
            if (f.isDone()) continue; // the client went away before the start
            try {
                Attach a = runtime.attach(id);
                if (!f.complete(a)) a.close();
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }
        t.pendingAttach.clear();
        runtime.onExit(id).whenComplete((st, err) -> Thread.ofVirtual().start(() -> exited(id, st, err)));
        try {
            runtime.start(id);
            clock.lap(ContainerPhase.RUNTIME_START);
        } catch (RuntimeException e) {
            try {
                runtime.delete(id, true);
            } catch (RuntimeException ignored) {
                // the start failure is what the user needs to see
            }
            failStart(c, t, e);
            throw e;
        }
        health.started(store.update(id, x -> x.withState(x.state().running(id, p.pid(), Instant.now()))));
        watchLog(c);
        if (action.equals("start")) metrics.action("start", clock.total());
        events.publish("container", action, id, LocalContainerService.attributes(c));
    }

    /** Rotates the container's log while it runs (see {@link LogRotator}). */
    private void watchLog(Container c) {
        LogRotator.Policy rotation = ContainerValidation.logRotation(c.hostConfig());
        if (rotation == null) return;
        String id = c.id();
        try {
            logRotator.watch(id, files.log(id), rotation, () -> runtime.reopenLog(id));
        } catch (IOException e) {
            LOG.warn("cannot watch the log of {} for rotation: {}", id, e.toString());
        }
    }

    private CreateOptions logOptions(Container c) {
        String driver = c.hostConfig().logConfig() == null ? "" : c.hostConfig().logConfig().type();
        CreateOptions o = CreateOptions.logTo(files.log(c.id()));
        return "none".equals(driver) ? new CreateOptions(false, false, false, CreateOptions.LogDriver.NONE, null, 0, null) : o;
    }

    private void failStart(Container c, Tracker t, Exception e) {
        networks.tearDown(c.id());
        rootfs.release(c.id());
        int code = RuntimeErrors.exitCodeFor(e);
        store.update(c.id(), x -> x.withState(x.state().failedToStart(c.id(), code, e.getMessage())));
        for (CompletableFuture<Attach> f : t.pendingAttach) f.completeExceptionally(e);
        t.pendingAttach.clear();
    }

    // ---- exit ----

    private void exited(String id, ExitStatus status, Throwable err) {
        Tracker t = tracker(id);
        boolean autoRemove;
        synchronized (t.lock) {
            Container c = store.get(id).orElse(null);
            if (c == null || !c.state().allows(Move.EXIT)) return;
            ExitStatus st = status != null ? status : new ExitStatus(255, Instant.now(), false);
            PhaseClock clock = new PhaseClock(metrics);
            metrics.phase(ContainerPhase.EXIT_SEEN, Math.max(0, Duration.between(st.exitedAt(), Instant.now()).toNanos()));
            if (err != null) LOG.warn("exit of {} not observed cleanly: {}", id, err.toString());
            logRotator.unwatch(id);
            health.stopped(id);
            autoRemove = removedAfterExit(c);
            // a container removed now (auto-remove, or a removal waiting for this exit) leaves its runtime state, network
            // and root file system to the removal's clean-up (see remove); a build step's runtime state goes at its
            // removal right after its commit
            boolean removedNow = autoRemove || t.removalWaiting;
            if (!c.buildStep() && !removedNow) deleteFromRuntime(id);
            if (!removedNow) {
                networks.tearDown(id);
                rootfs.release(id);
            }
            clock.lap(ContainerPhase.EXIT_CLEANUP);
            // the exit of a container removed now need not outlive berthd: its record goes in a moment (or, after a
            // crash, the running record's exit is found again at the next start)
            UnaryOperator<Container> exit = x -> x.withState(x.state().exited(id, st.exitCode(), st.exitedAt(), st.oomKilled()));
            Container after = removedNow ? store.mark(id, exit) : store.update(id, exit);
            Map<String, String> attrs = LocalContainerService.attributes(after);
            if (st.oomKilled()) events.publish("container", "oom", id, attrs);
            attrs.put("exitCode", Integer.toString(st.exitCode()));
            events.publish("container", "die", id, attrs);
            CompletableFuture<Integer> done = t.nextExit;
            t.nextExit = new CompletableFuture<>();
            done.complete(st.exitCode());
            if (!autoRemove && shouldRestart(after, st.exitCode())) scheduleRestart(after, t);
        }
        if (autoRemove) {
            try {
                remove(id, true, true);
            } catch (RuntimeException e) {
                LOG.warn("auto-remove of {} failed: {}", id, e.getMessage());
            }
        }
    }

    /**
     * An auto-remove container ({@code docker run --rm}): removed as it exits, its slow clean-up after the removal
     * (see {@link #remove(String, boolean, boolean)}).
     */
    private static boolean removedAfterExit(Container c) {
        return Boolean.TRUE.equals(c.hostConfig().autoRemove()) && !c.buildStep();
    }

    private static boolean shouldRestart(Container c, int exitCode) {
        if (c.state().manuallyStopped()) return false;
        RestartPolicy rp = c.hostConfig().restartPolicy();
        String name = rp == null || rp.name() == null ? "" : rp.name();
        return switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (rp.maximumRetryCount() == null || rp.maximumRetryCount() == 0
                    || c.state().restartCount() < rp.maximumRetryCount());
            default -> false;
        };
    }

    /** Docker's back-off: 100 ms doubling up to a minute, reset when the container ran 10 s or more. */
    private void scheduleRestart(Container c, Tracker t) {
        Instant started = c.state().startedAt();
        if (started != null && Duration.between(started, Instant.now()).toSeconds() >= 10) t.backoffMs = BACKOFF_START_MS;
        long delay = t.backoffMs;
        t.backoffMs = Math.min(BACKOFF_MAX_MS, t.backoffMs * 2);
        store.update(c.id(), x -> x.withState(x.state().restarting(c.id())));
        t.restartTimer = timers.schedule(() -> Thread.ofVirtual().start(() -> restartNow(c.id())), delay, TimeUnit.MILLISECONDS);
    }

    private void restartNow(String id) {
        Tracker t = tracker(id);
        synchronized (t.lock) {
            t.restartTimer = null;
            Container c = store.get(id).orElse(null);
            if (c == null || c.state().status() != ContainerStatus.RESTARTING) return;
            try {
                startLocked(c, t, "start");
            } catch (RuntimeException e) {
                LOG.warn("restart of {} failed: {}", id, e.getMessage());
                store.update(id, x -> x.state().status() == ContainerStatus.EXITED ? x : x.withState(x.state().stopped(id)));
            }
        }
    }

    // ---- stop, kill, pause ----

    /** Sends the stop signal, waits {@code timeout} seconds, then kills. False if it was not running. */
    public boolean stop(String id, Integer timeout, String signal) {
        Tracker t = tracker(id);
        CompletableFuture<Integer> exit;
        int seconds;
        synchronized (t.lock) {
            Container c = store.require(id);
            if (c.state().status() == ContainerStatus.RESTARTING) {
                if (t.restartTimer != null) t.restartTimer.cancel(false);
                t.restartTimer = null;
                store.update(id, x -> x.withState(x.state().stoppedByUser().stopped(id)));
                return true;
            }
            if (!c.state().status().isRunning()) return false;
            int sig = Signals.parse(signal != null && !signal.isEmpty() ? signal : c.config().stopSignal(), Signals.SIGTERM);
            seconds = timeout != null ? timeout : c.config().stopTimeout() != null ? c.config().stopTimeout() : 10;
            store.update(id, x -> x.withState(x.state().stoppedByUser()));
            if (c.state().status() == ContainerStatus.PAUSED) resumeQuietly(id);
            exit = t.nextExit;
            signal(c, sig, false);
        }
        if (seconds < 0 || !waitFor(exit, seconds)) {
            synchronized (t.lock) {
                Container c = store.require(id);
                if (c.state().status().isRunning()) signal(c, Signals.SIGKILL, true);
            }
            waitFor(exit, 30);
        }
        events.publish("container", "stop", id, LocalContainerService.attributes(store.require(id)));
        return true;
    }

    private void resumeQuietly(String id) {
        try {
            runtime.resume(id);
            store.update(id, x -> x.withState(x.state().unpaused(id)));
        } catch (RuntimeException e) {
            LOG.warn("resume of {} before stop: {}", id, e.getMessage());
        }
    }

    private static boolean waitFor(CompletableFuture<Integer> f, int seconds) {
        try {
            f.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    private void signal(Container c, int sig, boolean all) {
        try {
            runtime.kill(c.id(), sig, all);
        } catch (BerthException.Conflict e) {
            return; // it exited meanwhile
        } catch (BerthException.SystemError e) {
            if (!runtimeAlive(c.id())) return; // runc kill --all: "container not running", its exit not yet recorded
            throw e;
        }
        Map<String, String> attrs = LocalContainerService.attributes(c);
        attrs.put("signal", Integer.toString(sig));
        events.publish("container", "kill", c.id(), attrs);
    }

    /**
     * Sends {@code sig}. A SIGKILL returns once the exit is seen (as moby's {@code Kill}: an inspect right after
     * {@code docker kill} says exited), within 10 s; other signals return at once.
     */
    public void kill(String id, int sig) {
        Tracker t = tracker(id);
        CompletableFuture<Integer> exit;
        synchronized (t.lock) {
            Container c = store.require(id);
            if (!c.state().status().isRunning()) throw new BerthException.Conflict("Container " + id + " is not running");
            // as moby: only the container's stop signal counts as a stop; other signals leave the restart policy in force
            if (sig == Signals.parse(c.config().stopSignal(), Signals.SIGTERM)) store.update(id, x -> x.withState(x.state().stoppedByUser()));
            exit = t.nextExit;
            signal(c, sig, false);
        }
        if (sig == Signals.SIGKILL) waitFor(exit, 10);
    }

    public void pause(String id) {
        Tracker t = tracker(id);
        synchronized (t.lock) {
            Container c = store.require(id);
            c.state().check(id, Move.PAUSE);
            runtime.pause(id);
            store.update(id, x -> x.withState(x.state().paused(id)));
            health.stopped(id);
            events.publish("container", "pause", id, LocalContainerService.attributes(c));
        }
    }

    /**
     * Pauses the container for a commit if it is running, and says whether it did. A container whose process exits
     * between the check and the freeze (its exit not yet recorded) is left as it is: there is nothing to freeze, and
     * the commit goes on, as it does for a stopped container.
     */
    public boolean pauseForCommit(String id) {
        Tracker t = tracker(id);
        synchronized (t.lock) {
            if (store.require(id).state().status() != ContainerStatus.RUNNING) return false;
            try {
                pause(id);
                return true;
            } catch (BerthException.SystemError e) {
                if (!runtimeAlive(id)) return false;
                throw e;
            }
        }
    }

    /** Whether the runtime still has the container's process (a stopped or already deleted one has none). */
    private boolean runtimeAlive(String id) {
        try {
            return runtime.state(id).status() != RuntimeState.Status.STOPPED;
        } catch (BerthException.NotFound e) {
            return false;
        }
    }

    public void unpause(String id) {
        Tracker t = tracker(id);
        synchronized (t.lock) {
            Container c = store.require(id);
            c.state().check(id, Move.UNPAUSE);
            runtime.resume(id);
            health.unpaused(store.update(id, x -> x.withState(x.state().unpaused(id))));
            events.publish("container", "unpause", id, LocalContainerService.attributes(c));
        }
    }

    public void resize(String id, int height, int width) {
        Container c = store.require(id);
        if (!c.state().status().isRunning()) throw new BerthException.Conflict("Container " + id + " is not running");
        runtime.resize(id, height, width);
    }

    // ---- wait, attach, remove ----

    public CompletableFuture<WaitResponse> await(String id, String condition) {
        Tracker t = tracker(id);
        synchronized (t.lock) {
            Container c = store.require(id);
            CompletableFuture<Integer> f = switch (condition) {
                case "not-running" -> c.state().status().isRunning() || c.state().status() == ContainerStatus.RESTARTING
                        ? t.nextExit : CompletableFuture.completedFuture(c.state().exitCode());
                case "next-exit" -> t.nextExit;
                case "removed" -> t.removed;
                default -> throw new BerthException.InvalidArgument("invalid condition: \"" + condition + "\"");
            };
            return f.thenApply(code -> new WaitResponse(code, null));
        }
    }

    public CompletableFuture<Attach> attach(String id) {
        Tracker t = tracker(id);
        synchronized (t.lock) {
            Container c = store.require(id);
            if (c.state().status().isRunning()) return CompletableFuture.completedFuture(runtime.attach(id));
            CompletableFuture<Attach> f = new CompletableFuture<>();
            t.pendingAttach.add(f);
            return f;
        }
    }

    public void remove(String id, boolean force) { remove(id, force, false); }

    /** Removes the container; {@code removeVolumes} also removes its anonymous volumes ({@code rm -v}, {@code --rm}). */
    public void remove(String id, boolean force, boolean removeVolumes) {
        Tracker t = tracker(id);
        CompletableFuture<Integer> exit = null;
        synchronized (t.lock) {
            Container c = store.require(id);
            ContainerStatus status = c.state().status();
            // as moby's IsRunning: a container in its restart policy's back-off counts as running
            if (!force && (status.isRunning() || status == ContainerStatus.RESTARTING)) {
                String procedure = "stop the container before removing or force remove";
                throw new BerthException.Conflict("cannot remove container \"/" + c.name() + "\": container is " + status.wire()
                        + ": " + (status == ContainerStatus.PAUSED ? "unpause and then " + procedure : procedure));
            }
            if (status.isRunning()) {
                exit = t.nextExit;
                t.removalWaiting = true;
                store.update(id, x -> x.withState(x.state().stoppedByUser()));
                if (c.state().status() == ContainerStatus.PAUSED) resumeQuietly(id);
                signal(c, Signals.SIGKILL, true);
            }
        }
        if (exit != null) waitFor(exit, 30);
        Runnable networkRest;
        synchronized (t.lock) {
            Container c = store.get(id).orElse(null);
            if (c == null) return;
            t.removalWaiting = false;
            c.state().check(id, Move.REMOVE);
            PhaseClock clock = new PhaseClock(metrics);
            if (t.restartTimer != null) t.restartTimer.cancel(false);
            store.mark(id, x -> x.withState(x.state().removing(id)));
            networkRest = null;
            try {
                health.removed(id);
                networkRest = networks.removed(id);
                logRotator.unwatch(id);
                rootfs.releaseVolumes(id); // what can fail (a busy volume mount) fails here, leaving a dead container
                store.forget(c); // the record and the name go now: the client's answer comes with them
                specs.volumes().forget(id, removeVolumes);
            } catch (RuntimeException e) {
                // as dockerd: a removal that failed half-way leaves a dead container, which rm retries (its network down)
                if (networkRest != null) networkRest.run();
                if (store.get(id).isPresent()) store.update(id, x -> x.withState(x.state().dead(id, e.getMessage())));
                throw e;
            }
            trackers.remove(id);
            locks.forget(id);
            for (CompletableFuture<Attach> f : t.pendingAttach) f.cancel(false);
            clock.lap(ContainerPhase.REMOVE);
            metrics.action("delete", clock.total());
            events.publish("container", "destroy", id, LocalContainerService.attributes(c));
            t.removed.complete(c.state().exitCode());
        }
        Runnable network = networkRest;
        cleanUpThreads.execute(() -> cleanUp(id, network));
    }

    /**
     * The slow part of a removal, after the record and name are gone (off the path the client waits on: {@code rm},
     * {@code docker run --rm}): the network's kernel teardown ({@code network}, from {@link NetworkHooks#removed}), the
     * runtime's state deleted (a fork of the runtime), the root file system unmounted (overlayfs syncs its upper layer
     * then) and the container's directory deleted, a few at a time (network teardowns sixteen at a time, apart). A daemon that stops before it is done finishes it at
     * its next start ({@link #recover()}): the directory, left without its record, says so (and networking finishes its
     * own part, the network's record being left without a container).
     */
    private void cleanUp(String id, Runnable network) {
        long t0 = System.nanoTime();
        try {
            networkTeardowns.acquire();
            try {
                network.run();
            } catch (RuntimeException e) {
                LOG.warn("network clean-up of removed container {}: {}", id, e.getMessage());
            } finally {
                networkTeardowns.release();
            }
            cleanUps.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the next start finishes it
        }
        try {
            deleteFromRuntime(id);
            rootfs.release(id);
            store.deleteDir(id);
        } catch (RuntimeException e) {
            LOG.warn("clean-up of removed container {}: {}", id, e.getMessage());
        } finally {
            cleanUps.release();
        }
        metrics.phase(ContainerPhase.CLEANUP_AFTER_REMOVE, System.nanoTime() - t0);
    }

    private void deleteFromRuntime(String id) {
        try {
            runtime.delete(id, true);
        } catch (RuntimeException e) {
            LOG.warn("runtime delete of {}: {}", id, e.getMessage());
        }
    }

    // ---- live restore ----

    /** At daemon start: re-adopts running containers, records exits that happened meanwhile, starts `always` ones. */
    public void recover() {
        for (String id : store.unfinishedRemovals()) cleanUp(id, () -> { }); // the network's part: NetworkManager.resume
        Map<String, OciRuntime.Recovered> found = new java.util.HashMap<>();
        for (OciRuntime.Recovered r : runtime.recover()) found.put(r.id(), r);
        for (Container c : store.all()) {
            Tracker t = tracker(c.id());
            ContainerStatus s = c.state().status();
            OciRuntime.Recovered r = found.get(c.id());
            if (s.isRunning() && r != null && r.monitorAlive()) {
                watchLog(c);
                if (s == ContainerStatus.RUNNING) health.started(c);
                runtime.onExit(c.id()).whenComplete((st, err) -> Thread.ofVirtual().start(() -> exited(c.id(), st, err)));
            } else if (s.isRunning() || s == ContainerStatus.RESTARTING) {
                ExitStatus st = r != null && r.exit() != null ? r.exit() : new ExitStatus(255, Instant.now(), false);
                exited(c.id(), st, null);
            } else if (s == ContainerStatus.CREATED || s == ContainerStatus.EXITED) {
                networks.tearDown(c.id());
                rootfs.release(c.id());
            }
            Container now = store.get(c.id()).orElse(null);
            if (now != null && !now.state().status().isRunning() && now.state().status() != ContainerStatus.RESTARTING
                    && !now.state().manuallyStopped() && alwaysRestart(now)) {
                synchronized (t.lock) {
                    try {
                        startLocked(now, t, "start");
                    } catch (RuntimeException e) {
                        LOG.warn("could not restart {} at daemon start: {}", c.id(), e.getMessage());
                    }
                }
            }
        }
    }

    private static boolean alwaysRestart(Container c) {
        RestartPolicy rp = c.hostConfig().restartPolicy();
        return rp != null && ("always".equals(rp.name()) || "unless-stopped".equals(rp.name()));
    }

    /** Cancels pending restarts (the containers keep running; the log rotator is closed by whoever built it). */
    @Override public void close() {
        timers.shutdownNow();
        cleanUpThreads.close(); // waits for the clean-ups under way
    }
}
