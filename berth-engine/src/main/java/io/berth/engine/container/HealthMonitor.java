package io.berth.engine.container;

import io.berth.api.container.Health;
import io.berth.engine.events.EventBus;
import io.berth.engine.metrics.EngineMetrics;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the health checks of running containers, one virtual thread per container as moby's {@code monitor}: it
 * waits the interval, runs the probe through {@link HealthProbes}, and records the result under the container's
 * lock, publishing {@code health_status: healthy|unhealthy} when the status changes. Probes are not exec instances:
 * they are not listed in {@code ExecIDs} and emit no exec events. The status is part of the container's record, so
 * it survives a daemon restart, where the adoption of the container starts its monitor again.
 */
public final class HealthMonitor implements HealthHooks, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final ContainerStore store;
    private final ContainerLocks locks;
    private final EventBus events;
    private final HealthProbes probes;
    private final EngineMetrics metrics;
    private final Map<String, Thread> monitors = new ConcurrentHashMap<>();

    /** {@code metrics} counts the probes, and those that could not run or timed out (exit code -1). */
    public HealthMonitor(ContainerStore store, ContainerLocks locks, EventBus events, HealthProbes probes,
                         EngineMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.locks = locks;
        this.events = events;
        this.probes = probes;
    }

    @Override public void started(Container c) {
        cancel(c.id());
        HealthSettings s = c.buildStep() ? null : HealthSettings.of(c.config());
        if (s == null) return;
        Container now = store.update(c.id(), x -> x.withState(x.state().withHealth(HealthJudge.starting(x.state().health()))));
        launch(now, s);
    }

    @Override public void stopped(String id) {
        if (cancel(id) == null) return;
        store.get(id).filter(c -> c.state().health() != null)
                .ifPresent(c -> store.update(id, x -> x.withState(x.state().withHealth(HealthJudge.stopped(x.state().health())))));
    }

    @Override public void unpaused(Container c) {
        HealthSettings s = HealthSettings.of(c.config());
        if (s != null && c.state().health() != null && !monitors.containsKey(c.id())) launch(c, s);
    }

    @Override public void removed(String id) { cancel(id); }

    private Thread cancel(String id) {
        Thread t = monitors.remove(id);
        if (t != null) t.interrupt();
        return t;
    }

    private void launch(Container c, HealthSettings s) {
        if (s.argv() == null) {
            LOG.warn("unknown health check type {} in container {}", HealthSettings.config(c.config().healthcheck()).test().getFirst(), c.id());
            return;
        }
        Instant startedAt = c.state().startedAt() == null ? Instant.now() : c.state().startedAt();
        Thread t = Thread.ofVirtual().name("health-" + c.shortId()).unstarted(() -> monitor(c.id(), s, startedAt));
        monitors.put(c.id(), t);
        t.start();
    }

    private void monitor(String id, HealthSettings s, Instant startedAt) {
        try {
            while (current(id)) {
                Health h = store.get(id).map(x -> x.state().health()).orElse(null);
                Thread.sleep(HealthJudge.nextDelay(h, startedAt, Instant.now(), s));
                Container c = store.get(id).orElse(null);
                if (c == null || !current(id)) return;
                Instant start = Instant.now();
                HealthProbes.Outcome o = probes.run(c, s.argv(), s.timeout());
                Health.Result r = HealthJudge.result(o, start, Instant.now(), s.timeout());
                locks.locked(id, () -> {
                    record(id, r, startedAt, s);
                    return null;
                });
            }
        } catch (InterruptedException e) {
            // stopped: the container exited, paused or went away
        } catch (RuntimeException e) {
            LOG.warn("health check of {} stopped: {}", id, e.toString());
        }
    }

    /** Records a result unless the monitor was stopped while the probe ran (moby drops it too). */
    private void record(String id, Health.Result r, Instant startedAt, HealthSettings s) {
        if (!current(id)) return;
        metrics.healthCheck(r.exitCode() == -1);
        Container c = store.get(id).orElse(null);
        if (c == null || c.state().health() == null) return;
        Health before = c.state().health();
        Health after = HealthJudge.record(before, r, startedAt, s);
        Container updated = store.update(id, x -> x.withState(x.state().withHealth(after)));
        if (!after.status().equals(before.status())) {
            LOG.info("container {} is {}", c.shortId(), after.status());
            events.publish("container", "health_status: " + after.status(), id, LocalContainerService.attributes(updated));
        }
    }

    private boolean current(String id) { return monitors.get(id) == Thread.currentThread(); }

    /** Stops every monitor (the containers keep running; the next daemon's adoption starts them again). */
    @Override public void close() {
        for (String id : monitors.keySet()) cancel(id);
    }
}
