package io.berth.engine.container;

import io.berth.api.container.HostConfig;
import io.berth.api.container.RestartPolicy;
import io.berth.api.errors.BerthException;
import io.berth.api.events.EventMessage;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.events.EventBus;
import io.berth.engine.metrics.EngineMetrics;
import io.berth.engine.testing.Eventually;
import io.berth.engine.runtime.FakeOciRuntime;
import io.berth.engine.runtime.LogRotator;
import io.berth.engine.runtime.RuntimeState;
import io.berth.engine.runtime.spec.Capabilities;
import io.berth.engine.runtime.spec.HostDevices;
import io.berth.engine.runtime.spec.HostFacts;
import io.berth.engine.runtime.spec.LinuxDevice;
import io.berth.engine.runtime.spec.MountSpec;
import io.berth.engine.service.EventService;
import io.berth.engine.snapshot.OverlaySnapshotter;
import io.berth.engine.sys.FakeSys;
import io.berth.engine.volume.ContainerVolumes;
import io.berth.engine.volume.MountPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The container state machine ({@link ContainerLifecycle}) on {@link FakeOciRuntime} and
 * {@link FakeSys}: no root, no runc, no mounts, no cgroups, no network. The commands the
 * containers run are the fake runtime's ({@code sleep} ignores SIGTERM, {@code sh -c "exit N"}
 * exits at once, a {@code trap 'exit N' TERM} script exits N on SIGTERM).
 */
class ContainerLifecycleTest {
    private static final long WAIT_S = 10;
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final HostDevices NO_DEVICES = new HostDevices() {
        @Override public List<LinuxDevice> lookup(String path) { return List.of(); }

        @Override public List<LinuxDevice> all() { return List.of(); }
    };

    @TempDir
    Path tmp;
    FakeOciRuntime runtime;
    FakeSys sys;
    EventBus events;
    EventService.Subscription subscription;
    final List<EventMessage> seen = new ArrayList<>();
    ContainerStore store;
    ContainerRootfs rootfs;
    ContainerLifecycle lifecycle;
    LogRotator logRotator;
    final EngineMetrics metrics = new EngineMetrics();
    final AtomicBoolean failRelease = new AtomicBoolean();
    /** What the lifecycle told the health checks: "started id", "stopped id", "unpaused id", "removed id". */
    final List<String> healthCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
    final HealthHooks health = new HealthHooks() {
        @Override public void started(Container c) { healthCalls.add("started " + c.id()); }

        @Override public void stopped(String id) { healthCalls.add("stopped " + id); }

        @Override public void unpaused(Container c) { healthCalls.add("unpaused " + c.id()); }

        @Override public void removed(String id) { healthCalls.add("removed " + id); }
    };
    /** The networking {@link #open()} builds the lifecycle with ({@link #useNetworks} replaces it). */
    NetworkHooks networks = NetworkHooks.NONE;
    /** Runs when a container's root file system is released (with its volumes); fails while {@link #failRelease} is set. */
    java.util.function.Consumer<String> onRelease = id -> {
        if (failRelease.get()) throw new BerthException.SystemError("device or resource busy", null);
    };

    @BeforeEach
    void setUp() {
        runtime = new FakeOciRuntime();
        sys = new FakeSys();
        events = new EventBus();
        subscription = events.subscribe(e -> true, e -> false);
        lifecycle = open();
    }

    /** A lifecycle over the data in {@link #tmp} and {@link #runtime}, as berthd builds it at start. */
    ContainerLifecycle open() {
        Path data = tmp.resolve("data");
        if (logRotator != null) logRotator.close();
        try {
            logRotator = new LogRotator();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        store = new ContainerStore(data);
        ContainerFiles files = new ContainerFiles(data);
        rootfs = new ContainerRootfs(sys, new OverlaySnapshotter(tmp.resolve("snapshots")), data, tmp.resolve("exec"), releases());
        HostFacts host = new HostFacts(20000, false, true, "6.1.0", "amd64", 2, Capabilities.ALL_KNOWN, () -> null, null, NO_DEVICES);
        ContainerSpecs specs = new ContainerSpecs(host, files, ref -> store.find(ref).orElse(null));
        return new ContainerLifecycle(store, new ContainerLocks(store), runtime, rootfs, files, specs, events, networks, health,
                logRotator, metrics);
    }

    /** The lifecycle again, with {@code hooks} as its networking. */
    void useNetworks(NetworkHooks hooks) {
        lifecycle.close();
        networks = hooks;
        lifecycle = open();
    }

    /**
     * Networking whose removal part tells {@code calls} ("removed id") and returns a slow part that tells it
     * ("teardown id", "torn down id") around a wait for {@code slow} (at most {@link #WAIT_S} seconds).
     */
    static NetworkHooks slowTeardown(List<String> calls, CountDownLatch slow) {
        return new NetworkHooks() {
            @Override public void created(Container c, io.berth.api.container.NetworkingConfig config) { }

            @Override public Path setUp(Container c) { return null; }

            @Override public void tearDown(String id) { calls.add("down " + id); }

            @Override public Runnable removed(String id) {
                calls.add("removed " + id);
                return () -> {
                    calls.add("teardown " + id);
                    try {
                        slow.await(WAIT_S, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    calls.add("torn down " + id);
                };
            }

            @Override public io.berth.api.container.NetworkSettings settings(Container c) { return NetworkHooks.NONE.settings(c); }

            @Override public List<io.berth.api.container.Port> ports(Container c) { return List.of(); }
        };
    }

    /** No volumes; releasing them runs {@link #onRelease}. */
    ContainerVolumes releases() {
        return new ContainerVolumes() {
            @Override public List<MountPoint> register(String id, HostConfig h, Map<String, ?> v, java.util.function.Function<String, String> c) {
                return List.of();
            }
            @Override public List<MountSpec> mountAll(String id, Path rootfs) { return List.of(); }
            @Override public void unmountAll(String id) { onRelease.accept(id); }
            @Override public void forget(String id, boolean removeAnonymous) { }
            @Override public List<io.berth.api.container.MountPoint> describe(String id) { return List.of(); }
        };
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (Container c : store.all()) lifecycle.remove(c.id(), true);
        // a removal's clean-up runs after it answers
        eventually(() -> runtime.containers().isEmpty() && sys.mounted().isEmpty());
        lifecycle.close();
        logRotator.close();
        subscription.close();
        assertThat(runtime.containers()).as("containers left in the runtime").isEmpty();
        assertThat(sys.mounted()).as("root file systems left mounted").isEmpty();
    }

    // ---- fixtures ----

    String create(String... cmd) {
        return create(HostConfig.builder(), cmd);
    }

    String create(HostConfig.Builder host, String... cmd) {
        int n = SEQ.incrementAndGet();
        String id = String.format("%064x", n * 7919L + System.nanoTime());
        ContainerConfig config = new ContainerConfig("h" + n, "", "", false, true, true, null, false, false, false,
                List.of(), List.of(cmd), null, null, "busybox", null, "", null, null, null, null, null, null, null, null);
        Container c = new Container(id, "c" + n, Instant.now(), cmd[0], List.of(cmd).subList(1, cmd.length), config,
                host.build(), "sha256:" + "0".repeat(64), "busybox", List.of(), ContainerState.created());
        store.reserveName(c.name(), id);
        store.put(c);
        lifecycle.created(c);
        return id;
    }

    static HostConfig.Builder restart(String name, int maxRetries) {
        HostConfig.Builder h = HostConfig.builder();
        h.restartPolicy = new RestartPolicy(name, maxRetries);
        return h;
    }

    ContainerState state(String id) {
        return store.require(id).state();
    }

    ContainerStatus status(String id) {
        return state(id).status();
    }

    /** The actions of the events published about {@code id} so far. */
    List<String> actions(String id) {
        seen.addAll(subscription.drain());
        return seen.stream().filter(e -> id.equals(e.actor().id())).map(EventMessage::action).toList();
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_S, TimeUnit.SECONDS);
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException { Eventually.eventually(condition); }

    static void conflict(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(BerthException.Conflict.class).hasMessage(message);
    }

    // ---- create, start, wait, remove ----

    @Test
    void runsToItsExitCodeAndIsRemoved() throws Exception {
        String id = create("sh", "-c", "exit 3");
        assertThat(status(id)).isEqualTo(ContainerStatus.CREATED);
        CompletableFuture<?> exit = lifecycle.await(id, "next-exit");
        CompletableFuture<?> removed = lifecycle.await(id, "removed");
        assertThat(lifecycle.start(id)).isTrue();
        assertThat(await(exit)).extracting("statusCode").isEqualTo(3L);
        ContainerState s = state(id);
        assertThat(s.status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(s.exitCode()).isEqualTo(3);
        assertThat(s.pid()).isZero();
        assertThat(s.startedAt()).isNotNull();
        assertThat(s.finishedAt()).isNotNull();
        assertThat(runtime.containers()).doesNotContain(id);
        assertThat(sys.mounted()).isEmpty();
        assertThat(lifecycle.await(id, "not-running").get()).extracting("statusCode").isEqualTo(3L);

        lifecycle.remove(id, false);
        assertThat(await(removed)).extracting("statusCode").isEqualTo(3L);
        assertThat(store.get(id)).isEmpty();
        assertThat(Files.exists(rootfs.bundle(id))).isFalse();
        assertThat(actions(id)).containsExactly("start", "die", "destroy");
        String scraped = scrape();
        for (String phase : List.of("mount", "network", "spec", "runtime_create", "runtime_start", "exit_seen", "exit_cleanup",
                "remove")) {
            assertThat(scraped).as(phase).contains("berth_container_phase_seconds_count{phase=\"" + phase + "\"} 1\n");
        }
        assertThat(scraped).contains("engine_daemon_container_actions_seconds_count{action=\"start\"} 1\n")
                .contains("engine_daemon_container_actions_seconds_count{action=\"delete\"} 1\n");
    }

    private String scrape() {
        var out = new java.io.ByteArrayOutputStream();
        try {
            metrics.write(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void startWritesTheBundleAndMountsTheRootfs() throws Exception {
        String id = create("sleep", "1000");
        assertThat(lifecycle.start(id)).isTrue();
        assertThat(status(id)).isEqualTo(ContainerStatus.RUNNING);
        assertThat(state(id).pid()).isEqualTo(runtime.state(id).pid()).isPositive();
        assertThat(runtime.state(id).status()).isEqualTo(RuntimeState.Status.RUNNING);
        assertThat(sys.mounted()).containsExactly(rootfs.target(id));
        assertThat(Files.readString(rootfs.bundle(id).resolve("config.json"))).contains("\"args\":[\"sleep\",\"1000\"]");
        // Docker answers 304: starting a running container changes nothing
        assertThat(lifecycle.start(id)).isFalse();
        assertThat(actions(id)).containsExactly("start");
    }

    @Test
    void waitConditions() throws Exception {
        String id = create("sleep", "1000");
        assertThat(lifecycle.await(id, "not-running")).isCompletedWithValueMatching(w -> w.statusCode() == 0);
        assertThatThrownBy(() -> lifecycle.await(id, "whenever")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("invalid condition: \"whenever\"");
        lifecycle.start(id);
        CompletableFuture<?> notRunning = lifecycle.await(id, "not-running");
        assertThat(notRunning).isNotDone();
        lifecycle.kill(id, 9);
        assertThat(await(notRunning)).extracting("statusCode").isEqualTo(137L);
    }

    @Test
    void aStartThatFailsLeavesTheContainerCreatedWithTheRuntimesError() {
        String id = create("nope");
        assertThatThrownBy(() -> lifecycle.start(id)).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessageContaining("exec: \"nope\": executable file not found in $PATH");
        ContainerState s = state(id);
        assertThat(s.status()).isEqualTo(ContainerStatus.CREATED);
        assertThat(s.exitCode()).isEqualTo(127);
        assertThat(s.error()).contains("executable file not found");
        assertThat(sys.mounted()).isEmpty();
        assertThat(runtime.containers()).isEmpty();
    }

    // ---- stop, kill, restart ----

    @Test
    void stopSendsSigtermThenSigkillAfterTheTimeout() throws Exception {
        String id = create("sleep", "1000"); // pid 1 without handlers: SIGTERM does nothing
        lifecycle.start(id);
        long t0 = System.nanoTime();
        assertThat(lifecycle.stop(id, 1, null)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        ContainerState s = state(id);
        assertThat(s.status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(s.exitCode()).isEqualTo(137);
        assertThat(s.manuallyStopped()).isTrue();
        assertThat(actions(id)).containsExactly("start", "kill", "kill", "die", "stop");
        // stopping a stopped container changes nothing (Docker's 304)
        assertThat(lifecycle.stop(id, 1, null)).isFalse();
    }

    @Test
    void stopOfAContainerThatHandlesSigtermTakesItsExitCode() throws Exception {
        String id = create("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done");
        lifecycle.start(id);
        assertThat(lifecycle.stop(id, 30, null)).isTrue();
        assertThat(state(id).exitCode()).isZero();
        assertThat(actions(id)).containsExactly("start", "kill", "die", "stop");
    }

    @Test
    void killSignalsOnlyARunningContainer() throws Exception {
        String id = create("sleep", "1000");
        conflict(() -> lifecycle.kill(id, 9), "Container " + id + " is not running");
        lifecycle.start(id);
        CompletableFuture<?> exit = lifecycle.await(id, "next-exit");
        lifecycle.kill(id, 9);
        assertThat(await(exit)).extracting("statusCode").isEqualTo(137L);
        conflict(() -> lifecycle.kill(id, 9), "Container " + id + " is not running");
    }

    @Test
    void restartIsStopThenStart() throws Exception {
        String id = create("sleep", "1000");
        lifecycle.start(id);
        int firstPid = state(id).pid();
        lifecycle.stop(id, 0, null);
        assertThat(lifecycle.start(id)).isTrue();
        ContainerState s = state(id);
        assertThat(s.status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(s.pid()).isNotEqualTo(firstPid);
        assertThat(s.manuallyStopped()).isFalse();
        assertThat(s.restartCount()).isZero();
    }

    // ---- pause ----

    @Test
    void pausesAndUnpausesOnlyWhatTheStateAllows() {
        String id = create("sleep", "1000");
        conflict(() -> lifecycle.pause(id), "Container " + id + " is not running");
        conflict(() -> lifecycle.unpause(id), "Container " + id + " is not paused");
        lifecycle.start(id);
        lifecycle.pause(id);
        assertThat(status(id)).isEqualTo(ContainerStatus.PAUSED);
        assertThat(runtime.state(id).status()).isEqualTo(RuntimeState.Status.PAUSED);
        conflict(() -> lifecycle.pause(id), "Container " + id + " is already paused");
        assertThat(lifecycle.start(id)).isFalse();
        lifecycle.unpause(id);
        assertThat(status(id)).isEqualTo(ContainerStatus.RUNNING);
        assertThat(runtime.state(id).status()).isEqualTo(RuntimeState.Status.RUNNING);
        conflict(() -> lifecycle.unpause(id), "Container " + id + " is not paused");
        assertThat(actions(id)).containsExactly("start", "pause", "unpause");
    }

    /** A commit pauses a running container; one whose process has just exited (exit recorded or not yet) is left alone. */
    @Test
    void pauseForCommitSkipsWhatIsNotRunning() throws Exception {
        String id = create("sleep", "1000");
        assertThat(lifecycle.pauseForCommit(id)).isFalse();
        lifecycle.start(id);
        assertThat(lifecycle.pauseForCommit(id)).isTrue();
        assertThat(status(id)).isEqualTo(ContainerStatus.PAUSED);
        lifecycle.unpause(id);
        runtime.exit(id, 0);
        assertThat(lifecycle.pauseForCommit(id)).isFalse();
        eventually(() -> status(id) == ContainerStatus.EXITED);
    }

    @Test
    void stopOfAPausedContainerResumesItFirst() {
        String id = create("sleep", "1000");
        lifecycle.start(id);
        lifecycle.pause(id);
        assertThat(lifecycle.stop(id, 0, null)).isTrue();
        assertThat(state(id).exitCode()).isEqualTo(137);
        assertThat(status(id)).isEqualTo(ContainerStatus.EXITED);
    }

    @Test
    void resizeOnlyARunningContainer() {
        String id = create("sleep", "1000");
        conflict(() -> lifecycle.resize(id, 24, 80), "Container " + id + " is not running");
        lifecycle.start(id);
        lifecycle.resize(id, 24, 80);
        assertThat(runtime.calls()).containsExactly("resize " + id + " 24 80");
    }

    // ---- restart policies ----

    @Test
    void onFailureRestartsUpToTheMaximumRetryCount() throws Exception {
        String id = create(restart("on-failure", 2), "sh", "-c", "exit 1");
        CompletableFuture<?> first = lifecycle.await(id, "next-exit");
        lifecycle.start(id);
        await(first);
        eventually(() -> state(id).restartCount() == 2 && status(id) == ContainerStatus.EXITED);
        Thread.sleep(500); // longer than the next back-off: no third restart
        assertThat(state(id).restartCount()).isEqualTo(2);
        assertThat(state(id).exitCode()).isEqualTo(1);
        assertThat(actions(id)).containsExactly("start", "die", "start", "die", "start", "die");
    }

    @Test
    void aSuccessUnderOnFailureAndAFailureWithoutAPolicyAreNotRestarted() throws Exception {
        List<String> ids = List.of(create(restart("on-failure", 0), "sh", "-c", "exit 0"), create("sh", "-c", "exit 1"));
        for (String id : ids) {
            CompletableFuture<?> exit = lifecycle.await(id, "next-exit");
            lifecycle.start(id);
            await(exit);
        }
        Thread.sleep(300); // longer than the first back-off
        for (String id : ids) {
            assertThat(status(id)).isEqualTo(ContainerStatus.EXITED);
            assertThat(state(id).restartCount()).isZero();
        }
    }

    @Test
    void alwaysRestartsUntilStoppedAndAStopDuringTheBackoffEndsIt() throws Exception {
        String id = create(restart("always", 0), "true");
        lifecycle.start(id);
        eventually(() -> state(id).restartCount() >= 2);
        eventually(() -> status(id) == ContainerStatus.RESTARTING);
        assertThat(lifecycle.stop(id, 1, null)).isTrue();
        ContainerState s = state(id);
        assertThat(s.status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(s.manuallyStopped()).isTrue();
        int count = s.restartCount();
        Thread.sleep(500);
        assertThat(state(id).restartCount()).isEqualTo(count);
        assertThat(status(id)).isEqualTo(ContainerStatus.EXITED);
    }

    @Test
    void aStopOfAnAlwaysContainerIsNotRestartedButAnotherSignalIs() throws Exception {
        String id = create(restart("always", 0), "sh", "-c", "sleep 1000 & wait $!");
        lifecycle.start(id);
        int pid = state(id).pid();
        lifecycle.kill(id, 9); // not the stop signal: the policy still applies
        eventually(() -> status(id) == ContainerStatus.RUNNING && state(id).pid() != pid);
        assertThat(state(id).restartCount()).isEqualTo(1);
        lifecycle.stop(id, 0, null);
        Thread.sleep(300);
        assertThat(status(id)).isEqualTo(ContainerStatus.EXITED);
        assertThat(state(id).restartCount()).isEqualTo(1);
    }

    // ---- auto-remove ----

    @Test
    void autoRemoveRemovesAtExit() throws Exception {
        HostConfig.Builder h = HostConfig.builder();
        h.autoRemove = true;
        String id = create(h, "sh", "-c", "exit 0");
        CompletableFuture<?> removed = lifecycle.await(id, "removed");
        String name = store.require(id).name();
        lifecycle.start(id);
        await(removed);
        assertThat(store.get(id)).isEmpty();
        assertThat(store.nameTaken(name)).as("the name is free when the client's wait ends").isFalse();
        assertThat(tmp.resolve("data").resolve(id).resolve("container.json")).doesNotExist();
        assertThat(actions(id)).containsExactly("start", "die", "destroy");
        // the rest of the clean-up follows off the client's path
        eventually(() -> !runtime.containers().contains(id) && sys.mounted().isEmpty()
                && !Files.exists(tmp.resolve("data").resolve(id)) && !Files.exists(rootfs.bundle(id)));
        eventually(() -> scrape().contains("berth_container_phase_seconds_count{phase=\"cleanup_after_remove\"} 1\n"));
    }

    @Test
    void aForcedRemovalOfARunningContainerAnswersOnceTheRecordIsGoneAndCleansUpAfter() throws Exception {
        String id = create("sleep", "1000");
        lifecycle.start(id);
        String name = store.require(id).name();
        lifecycle.remove(id, true);
        assertThat(store.get(id)).isEmpty();
        assertThat(store.nameTaken(name)).isFalse();
        assertThat(new ContainerStore(tmp.resolve("data")).get(id)).as("on disk").isEmpty();
        assertThat(actions(id)).containsExactly("start", "kill", "die", "destroy");
        eventually(() -> !runtime.containers().contains(id) && sys.mounted().isEmpty()
                && !Files.exists(tmp.resolve("data").resolve(id)) && !Files.exists(rootfs.bundle(id)));
    }

    @Test
    void aForcedRemovalAnswersBeforeTheNetworksSlowPartRan() throws Exception {
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch slow = new CountDownLatch(1);
        useNetworks(slowTeardown(calls, slow));
        String id = create("sleep", "1000");
        lifecycle.start(id);
        String name = store.require(id).name();
        lifecycle.remove(id, true); // returns while the slow part waits for the latch
        assertThat(store.get(id)).isEmpty();
        assertThat(store.nameTaken(name)).isFalse();
        assertThat(actions(id)).containsExactly("start", "kill", "die", "destroy");
        assertThat(calls).contains("removed " + id).doesNotContain("torn down " + id, "down " + id);
        slow.countDown();
        eventually(() -> calls.contains("torn down " + id) && !runtime.containers().contains(id) && sys.mounted().isEmpty());
    }

    @Test
    void anAutoRemoveAnswersTheWaitBeforeTheNetworksSlowPartRan() throws Exception {
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch slow = new CountDownLatch(1);
        useNetworks(slowTeardown(calls, slow));
        HostConfig.Builder h = HostConfig.builder();
        h.autoRemove = true;
        String id = create(h, "sh", "-c", "exit 0");
        CompletableFuture<?> removed = lifecycle.await(id, "removed");
        lifecycle.start(id);
        await(removed);
        assertThat(store.get(id)).isEmpty();
        assertThat(calls).as("the exit leaves the network to the removal").doesNotContain("down " + id)
                .contains("removed " + id).doesNotContain("torn down " + id);
        slow.countDown();
        eventually(() -> calls.contains("torn down " + id) && !runtime.containers().contains(id) && sys.mounted().isEmpty());
    }

    @Test
    void aRemovalThatFailsTakesTheNetworkDownBeforeItAnswers() {
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch slow = new CountDownLatch(0);
        useNetworks(slowTeardown(calls, slow));
        String id = create("sleep", "1000");
        failRelease.set(true);
        assertThatThrownBy(() -> lifecycle.remove(id, false)).isInstanceOf(BerthException.SystemError.class);
        assertThat(status(id)).isEqualTo(ContainerStatus.DEAD);
        assertThat(calls).containsExactly("removed " + id, "teardown " + id, "torn down " + id);
        failRelease.set(false);
    }

    @Test
    void aDaemonStoppedBeforeAnAutoRemoveCleanUpEndedFinishesItAtItsNextStart() throws Exception {
        HostConfig.Builder h = HostConfig.builder();
        h.autoRemove = true;
        String id = create(h, "sleep", "1000");
        lifecycle.start(id);
        // what a daemon killed right after the removal's first half leaves: no record, the rest still there
        store.forget(store.require(id));
        lifecycle.close();
        runtime = runtime.reopen();
        runtime.exit(id, 0);
        lifecycle = open();
        assertThat(store.get(id)).isEmpty();
        assertThat(store.unfinishedRemovals()).containsExactly(id);
        lifecycle.recover();
        assertThat(runtime.containers()).doesNotContain(id);
        assertThat(sys.mounted()).isEmpty();
        assertThat(tmp.resolve("data").resolve(id)).doesNotExist();
        assertThat(store.unfinishedRemovals()).isEmpty();
    }

    @Test
    void autoRemoveRemovesAContainerWhoseStartFailed() {
        HostConfig.Builder h = HostConfig.builder();
        h.autoRemove = true;
        String id = create(h, "nope");
        assertThatThrownBy(() -> lifecycle.start(id)).isInstanceOf(BerthException.InvalidArgument.class);
        assertThat(store.get(id)).isEmpty();
    }

    // ---- remove, removing, dead ----

    /** docker-py's test_create_with_restart_policy: a container in its restart back-off is not removed without force. */
    @Test
    void removeOfARestartingContainerNeedsForce() throws Exception {
        String id = create(restart("always", 0), "true");
        lifecycle.start(id);
        eventually(() -> status(id) == ContainerStatus.RESTARTING || status(id) == ContainerStatus.RUNNING);
        String name = store.require(id).name();
        assertThatThrownBy(() -> lifecycle.remove(id, false)).isInstanceOf(BerthException.Conflict.class)
                .hasMessageStartingWith("cannot remove container \"/" + name + "\": container is r")
                .hasMessageEndingWith(": stop the container before removing or force remove");
        lifecycle.remove(id, true);
        assertThat(store.get(id)).isEmpty();
    }

    @Test
    void removeOfARunningContainerNeedsForce() throws InterruptedException {
        String id = create("sleep", "1000");
        lifecycle.start(id);
        String name = store.require(id).name();
        conflict(() -> lifecycle.remove(id, false), "cannot remove container \"/" + name
                + "\": container is running: stop the container before removing or force remove");
        assertThat(status(id)).isEqualTo(ContainerStatus.RUNNING);
        lifecycle.remove(id, true);
        assertThat(store.get(id)).isEmpty();
        eventually(() -> runtime.containers().isEmpty());
        assertThat(actions(id)).containsExactly("start", "kill", "die", "destroy");
    }

    @Test
    void aRemovalIsInProgressWhileItRunsAndLeavesADeadContainerWhenItFails() {
        String id = create("sleep", "1000");
        AtomicReference<ContainerStatus> during = new AtomicReference<>();
        onRelease = x -> {
            during.set(status(id));
            if (failRelease.get()) throw new BerthException.SystemError("device or resource busy", null);
        };
        failRelease.set(true);
        assertThatThrownBy(() -> lifecycle.remove(id, false)).isInstanceOf(BerthException.SystemError.class);
        assertThat(during.get()).isEqualTo(ContainerStatus.REMOVING);
        ContainerState s = state(id);
        assertThat(s.status()).isEqualTo(ContainerStatus.DEAD);
        assertThat(s.error()).isEqualTo("device or resource busy");
        assertThat(new ContainerStore(tmp.resolve("data")).require(id).state().status()).as("on disk").isEqualTo(ContainerStatus.DEAD);
        conflict(() -> lifecycle.start(id), "container " + id + " is marked for removal and cannot be started");
        conflict(() -> lifecycle.pause(id), "Container " + id + " is not running");

        failRelease.set(false);
        lifecycle.remove(id, false);
        assertThat(store.get(id)).isEmpty();
    }

    // ---- live restore ----

    @Test
    void aRestartedDaemonAdoptsRunningContainersAndRecordsExitsThatHappenedMeanwhile() throws Exception {
        String running = create("sleep", "1000");
        String exited = create("sleep", "1000");
        lifecycle.start(running);
        lifecycle.start(exited);
        lifecycle.close();

        runtime = runtime.reopen(); // berthd goes away; its containers do not
        runtime.exit(exited, 5);
        lifecycle = open();
        lifecycle.recover();

        assertThat(status(running)).isEqualTo(ContainerStatus.RUNNING);
        assertThat(status(exited)).isEqualTo(ContainerStatus.EXITED);
        assertThat(state(exited).exitCode()).isEqualTo(5);
        assertThat(sys.mounted()).containsExactly(rootfs.target(running));

        CompletableFuture<?> exit = lifecycle.await(running, "next-exit");
        runtime.exit(running, 4);
        assertThat(await(exit)).extracting("statusCode").isEqualTo(4L);
        assertThat(state(running).exitCode()).isEqualTo(4);
    }

    @Test
    void theHealthChecksFollowStartPauseExitRemovalAndAdoption() throws Exception {
        String id = create("sleep", "1000");
        lifecycle.start(id);
        assertThat(healthCalls).containsExactly("started " + id);
        assertThat(state(id).status()).isEqualTo(ContainerStatus.RUNNING); // the hook sees the running record
        lifecycle.pause(id);
        lifecycle.unpause(id);
        lifecycle.close();
        runtime = runtime.reopen();
        lifecycle = open();
        lifecycle.recover();
        CompletableFuture<?> exit = lifecycle.await(id, "next-exit");
        runtime.exit(id, 4);
        await(exit);
        lifecycle.remove(id, false);
        assertThat(healthCalls).containsExactly("started " + id, "stopped " + id, "unpaused " + id, "started " + id,
                "stopped " + id, "removed " + id);
    }

    @Test
    void aRestartedDaemonStartsAlwaysContainersThatAreDown() throws Exception {
        String id = create(restart("always", 0), "sleep", "1000");
        lifecycle.start(id);
        lifecycle.close();
        runtime = runtime.reopen();
        runtime.exit(id, 0);
        lifecycle = open();
        lifecycle.recover();
        eventually(() -> status(id) == ContainerStatus.RUNNING);
        assertThat(runtime.state(id).status()).isEqualTo(RuntimeState.Status.RUNNING);
    }
}
