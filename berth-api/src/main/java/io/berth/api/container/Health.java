package io.berth.api.container;

import java.time.Instant;
import java.util.List;

/**
 * {@code State.Health} of inspect: the health check's status ({@code starting}, {@code healthy}, {@code unhealthy}),
 * the count of consecutive failures that counted, and the last results (at most {@link #MAX_LOG}), oldest first.
 */
public record Health(String status, int failingStreak, List<Result> log) {
    public static final String STARTING = "starting";
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";
    /** The ps filter's value for a container without a health check. */
    public static final String NONE = "none";
    /** Docker keeps the last five results. */
    public static final int MAX_LOG = 5;

    public Health {
        log = log == null ? List.of() : List.copyOf(log);
    }

    /** {@code HealthcheckResult}: one probe, its exit code (-1 when it could not run or timed out) and its output. */
    public record Result(Instant start, Instant end, int exitCode, String output) {}
}
