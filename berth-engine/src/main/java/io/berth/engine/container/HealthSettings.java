package io.berth.engine.container;

import io.berth.api.Json;
import io.berth.api.container.HealthConfig;
import io.berth.api.errors.BerthException;
import io.berth.api.image.ContainerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's health check as the monitor runs it: Docker's defaults filled in (interval and timeout 30 s, start
 * period 0, start interval 5 s, 3 retries) and the probe's command line: {@code CMD} as is, {@code CMD-SHELL} through
 * the container's shell ({@code Config.Shell}, else {@code /bin/sh -c}). {@code argv} is null for a test of an unknown
 * type, which Docker reports as starting and never probes.
 */
public record HealthSettings(List<String> argv, Duration interval, Duration timeout, Duration startPeriod,
                             Duration startInterval, int retries) {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_START_INTERVAL = Duration.ofSeconds(5);
    static final int DEFAULT_RETRIES = 3;
    private static final long MINIMUM_NANOS = 1_000_000;

    /** The settings of a container's config; null when it has no health check (none, an empty test, or NONE). */
    public static HealthSettings of(ContainerConfig config) {
        HealthConfig h = config(config.healthcheck());
        if (h == null || h.test() == null || h.test().isEmpty() || "NONE".equals(h.test().getFirst())) return null;
        List<String> argv = switch (h.test().getFirst()) {
            case "CMD" -> List.copyOf(h.test().subList(1, h.test().size()));
            case "CMD-SHELL" -> {
                List<String> a = new ArrayList<>(config.shell() == null || config.shell().isEmpty()
                        ? List.of("/bin/sh", "-c") : config.shell());
                a.addAll(h.test().subList(1, h.test().size()));
                yield List.copyOf(a);
            }
            default -> null;
        };
        return new HealthSettings(argv, duration(h.interval(), DEFAULT_INTERVAL), duration(h.timeout(), DEFAULT_TIMEOUT),
                duration(h.startPeriod(), Duration.ZERO), duration(h.startInterval(), DEFAULT_START_INTERVAL),
                h.retries() == null || h.retries() <= 0 ? DEFAULT_RETRIES : h.retries());
    }

    /** The wire {@code Healthcheck} (a record, or the map a stored config reads back as) as a record; null when absent. */
    public static HealthConfig config(Object healthcheck) {
        if (healthcheck == null) return null;
        if (healthcheck instanceof HealthConfig h) return h;
        return Json.wire().convertValue(healthcheck, HealthConfig.class);
    }

    /** moby's {@code validateHealthCheck}: durations of 0 (the default) or at least 1 ms, retries not negative. */
    static void validate(Object healthcheck) {
        HealthConfig h = config(healthcheck);
        if (h == null) return;
        tooShort(h.interval(), "Interval");
        tooShort(h.timeout(), "Timeout");
        if (h.retries() != null && h.retries() < 0) {
            throw new BerthException.InvalidArgument("Retries in Healthcheck cannot be negative");
        }
        tooShort(h.startPeriod(), "StartPeriod");
        tooShort(h.startInterval(), "StartInterval");
    }

    private static void tooShort(Long nanos, String field) {
        if (nanos != null && nanos != 0 && nanos < MINIMUM_NANOS) {
            throw new BerthException.InvalidArgument(field + " in Healthcheck cannot be less than 1ms");
        }
    }

    private static Duration duration(Long nanos, Duration dflt) {
        return nanos == null || nanos <= 0 ? dflt : Duration.ofNanos(nanos);
    }
}
