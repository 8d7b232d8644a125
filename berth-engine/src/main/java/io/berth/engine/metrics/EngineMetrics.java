package io.berth.engine.metrics;

import io.berth.engine.service.MetricsService;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The engine's metrics, in a registry of their own. dockerd's (moby's {@code daemon/metrics.go}, go-metrics naming:
 * timers are histograms in seconds with Prometheus' default buckets, counters end in {@code _total}):
 * {@code engine_daemon_container_actions_seconds{action}} (create, start, delete, changes and commit exported at 0
 * from the start, as moby does), {@code engine_daemon_container_states_containers{state}},
 * {@code engine_daemon_events_total}, {@code engine_daemon_health_checks_total} and {@code …_failed_total},
 * {@code engine_daemon_engine_info}, {@code …_cpus_cpus} and {@code …_memory_bytes}. Berth's own:
 * {@code berth_container_phase_seconds{phase}} ({@link ContainerPhase}), with finer buckets, since a phase takes
 * milliseconds. Thread-safe.
 */
public final class EngineMetrics implements MetricsService {
    /** The engine's facts for {@code engine_daemon_engine_info}, in moby's label order. */
    public record EngineInfo(String version, String commit, String architecture, String graphDriver, String kernel,
                             String os, String osType, String osVersion, String daemonId) {}

    private static final double[] PHASE_BUCKETS = {
        .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram containerActions = Histogram.builder()
            .name("engine_daemon_container_actions_seconds")
            .help("The number of seconds it takes to process each container action")
            .labelNames("action").classicOnly().register(registry);
    private final Histogram phases = Histogram.builder()
            .name("berth_container_phase_seconds")
            .help("The seconds each phase of a container's start, exit and removal takes")
            .labelNames("phase").classicOnly().classicUpperBounds(PHASE_BUCKETS).register(registry);
    private final Counter events = Counter.builder()
            .name("engine_daemon_events_total").help("The number of events logged").register(registry);
    private final Counter healthChecks = Counter.builder()
            .name("engine_daemon_health_checks_total").help("The total number of health checks").register(registry);
    private final Counter healthChecksFailed = Counter.builder()
            .name("engine_daemon_health_checks_failed_total").help("The total number of failed health checks")
            .register(registry);

    public EngineMetrics() {
        for (String action : new String[] {"start", "changes", "commit", "create", "delete"}) {
            containerActions.labelValues(action); // exported at 0, as moby registers them
        }
        for (ContainerPhase p : ContainerPhase.values()) phases.labelValues(p.label());
    }

    /**
     * Adds the gauges that read the engine's state when scraped: container counts by state ({@code running},
     * {@code paused}, {@code stopped}), and the engine's facts.
     */
    public void engine(EngineInfo info, Supplier<Map<String, Integer>> containerStates) {
        GaugeWithCallback.builder()
                .name("engine_daemon_container_states_containers")
                .help("The count of containers in various states")
                .labelNames("state")
                .callback(cb -> containerStates.get().forEach((state, n) -> cb.call(n, state)))
                .register(registry);
        Gauge.builder().name("engine_daemon_engine_info")
                .help("The information related to the engine and the OS it is running on")
                .labelNames("version", "commit", "architecture", "graphdriver", "kernel", "os", "os_type", "os_version",
                        "daemon_id")
                .register(registry)
                .labelValues(info.version(), info.commit(), info.architecture(), info.graphDriver(), info.kernel(),
                        info.os(), info.osType(), info.osVersion(), info.daemonId())
                .set(1);
        Gauge.builder().name("engine_daemon_engine_cpus_cpus").help("The number of cpus that the host system of the engine has")
                .register(registry).set(Runtime.getRuntime().availableProcessors());
        GaugeWithCallback.builder().name("engine_daemon_engine_memory_bytes")
                .help("The number of bytes of memory that the host system of the engine has")
                .callback(cb -> cb.call(totalMemory()))
                .register(registry);
    }

    /** A container action (moby's names: create, start, delete, changes, commit) took {@code nanos}. */
    public void action(String action, long nanos) { containerActions.labelValues(action).observe(nanos / 1e9); }

    /** A phase took {@code nanos}. */
    public void phase(ContainerPhase phase, long nanos) { phases.labelValues(phase.label()).observe(nanos / 1e9); }

    /** An event was published. */
    public void event() { events.inc(); }

    /** A health probe ran; {@code failed}: it could not run (a non-zero exit is not a failure here, as in moby). */
    public void healthCheck(boolean failed) {
        healthChecks.inc();
        if (failed) healthChecksFailed.inc();
    }

    @Override public String contentType() { return writer.getContentType(); }

    @Override public void write(OutputStream out) throws IOException { writer.write(out, registry.scrape()); }

    private static double totalMemory() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getTotalMemorySize() : 0;
    }
}
