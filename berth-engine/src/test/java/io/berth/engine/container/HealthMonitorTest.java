package io.berth.engine.container;

import io.berth.api.Json;
import io.berth.api.container.Health;
import io.berth.api.container.HostConfig;
import io.berth.api.events.EventMessage;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.events.EventBus;
import io.berth.engine.metrics.EngineMetrics;
import io.berth.engine.service.EventService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HealthMonitor} over a fake probe seam: probes at the interval, records results in the container's record,
 * publishes {@code health_status} events only on a change, stops at exit (unhealthy) and removal, resumes after a
 * pause, and drops a result that arrives after it was stopped.
 */
class HealthMonitorTest {
    @TempDir
    Path tmp;
    ContainerStore store;
    EventBus events;
    EventService.Subscription subscription;
    HealthMonitor monitor;
    final EngineMetrics metrics = new EngineMetrics();
    /** The outcomes the fake probe gives, one per call; when empty it answers 0. */
    final BlockingQueue<HealthProbes.Outcome> outcomes = new LinkedBlockingQueue<>();
    final List<List<String>> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        store = new ContainerStore(tmp.resolve("containers"));
        events = new EventBus();
        subscription = events.subscribe(e -> true, e -> false);
        monitor = new HealthMonitor(store, new ContainerLocks(store), events, (c, argv, timeout) -> {
            calls.add(argv);
            HealthProbes.Outcome o = outcomes.poll();
            return o == null ? new HealthProbes.Outcome.Exited(0, "ok\n") : o;
        }, metrics);
    }

    @AfterEach
    void tearDown() {
        monitor.close();
        subscription.close();
    }

    Container running(String healthcheck) throws Exception {
        ContainerConfig config = Json.wire().readValue("{\"Healthcheck\":" + healthcheck + "}", ContainerConfig.class);
        String id = "a".repeat(63) + (char) ('0' + store.count());
        Container c = new Container(id, "c" + store.count(), Instant.now(), "sleep", List.of("100"), config,
                Json.wire().readValue("{}", HostConfig.class), "sha256:" + "b".repeat(64), "busybox", List.of(),
                ContainerState.created().running(id, 42, Instant.now()));
        return store.put(c);
    }

    Health health(Container c) { return store.require(c.id()).state().health(); }

    void await(Predicate<Container> condition, Container c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.test(store.require(c.id()))) {
            assertThat(System.nanoTime()).as("condition on %s", store.require(c.id()).state().health()).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    List<String> healthEvents() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (EventMessage m; (m = subscription.next(Duration.ofMillis(50))) != null; ) {
            if (m.action().startsWith("health_status")) out.add(m.action());
        }
        return out;
    }

    @Test
    void startsAsStartingThenHealthyWithOneEventAndTheShellFormCommand() throws Exception {
        Container c = running("{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":10000000}");
        monitor.started(c);
        assertThat(health(c).status()).isEqualTo(Health.STARTING);
        await(x -> x.state().health().log().size() >= 3, c);
        assertThat(health(c).status()).isEqualTo(Health.HEALTHY);
        assertThat(health(c).log().getFirst().output()).isEqualTo("ok\n");
        assertThat(calls.getFirst()).containsExactly("/bin/sh", "-c", "true");
        assertThat(healthEvents()).containsExactly("health_status: healthy");
    }

    @Test
    void failuresUpToRetriesMakeItUnhealthyAndTimeoutsCountAsFailures() throws Exception {
        outcomes.add(new HealthProbes.Outcome.Exited(1, "no\n"));
        outcomes.add(new HealthProbes.Outcome.TimedOut());
        outcomes.add(new HealthProbes.Outcome.TimedOut());
        outcomes.add(new HealthProbes.Outcome.TimedOut());
        Container c = running("{\"Test\":[\"CMD\",\"check\"],\"Interval\":10000000,\"Timeout\":20000000,\"Retries\":2}");
        monitor.started(c);
        await(x -> x.state().health().log().size() >= 3, c);
        Health h = health(c);
        assertThat(h.log().get(1).exitCode()).isEqualTo(-1);
        assertThat(h.log().get(1).output()).isEqualTo("Health check exceeded timeout (20ms)");
        await(x -> x.state().health().status().equals(Health.HEALTHY), c);
        assertThat(healthEvents()).containsExactly("health_status: unhealthy", "health_status: healthy");
        var out = new java.io.ByteArrayOutputStream();
        metrics.write(out);
        // every probe counts; only those that could not finish (the time-outs) count as failed, not the exit 1
        assertThat(out.toString()).contains("engine_daemon_health_checks_failed_total 3.0\n")
                .containsPattern("engine_daemon_health_checks_total ([5-9]|[1-9][0-9]+)\\.0\n");
    }

    @Test
    void anExitStopsProbingAndLeavesItUnhealthyWithoutAnEvent() throws Exception {
        Container c = running("{\"Test\":[\"CMD\",\"check\"],\"Interval\":10000000}");
        monitor.started(c);
        await(x -> x.state().health().status().equals(Health.HEALTHY), c);
        monitor.stopped(c.id());
        int probes = calls.size();
        Thread.sleep(100);
        assertThat(calls.size()).isLessThanOrEqualTo(probes + 1); // at most the probe that was running
        assertThat(health(c).status()).isEqualTo(Health.UNHEALTHY);
        assertThat(healthEvents()).containsExactly("health_status: healthy");
        monitor.unpaused(store.require(c.id()));
        await(x -> x.state().health().status().equals(Health.HEALTHY), c);
    }

    @Test
    void aStartResetsToStartingKeepingTheLog() throws Exception {
        Container c = running("{\"Test\":[\"CMD\",\"check\"],\"Interval\":3600000000000}");
        Health old = new Health(Health.UNHEALTHY, 3, List.of(new Health.Result(Instant.EPOCH, Instant.EPOCH, 1, "")));
        store.update(c.id(), x -> x.withState(x.state().withHealth(old)));
        monitor.started(store.require(c.id()));
        assertThat(health(c)).isEqualTo(new Health(Health.STARTING, 0, old.log()));
        assertThat(calls).isEmpty();
    }

    @Test
    void noneOrNoHealthcheckGetsNoHealth() throws Exception {
        Container none = running("{\"Test\":[\"NONE\"]}");
        monitor.started(none);
        assertThat(health(none)).isNull();
        Container absent = running("null");
        monitor.started(absent);
        assertThat(health(absent)).isNull();
    }

    @Test
    void removalStopsProbingWithoutTouchingTheRecord() throws Exception {
        Container c = running("{\"Test\":[\"CMD\",\"check\"],\"Interval\":10000000}");
        monitor.started(c);
        await(x -> !x.state().health().log().isEmpty(), c);
        monitor.removed(c.id());
        int probes = calls.size();
        Thread.sleep(100);
        assertThat(calls.size()).isLessThanOrEqualTo(probes + 1);
        assertThat(health(c).status()).isEqualTo(Health.HEALTHY);
    }
}
