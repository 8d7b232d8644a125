package io.berth.api.container;

import java.util.List;

/** {@code Healthcheck}: durations are nanoseconds; {@code Test} is {@code ["NONE"]}, {@code ["CMD", …]} or {@code ["CMD-SHELL", cmd]}. */
public record HealthConfig(List<String> test, Long interval, Long timeout, Long startPeriod,
        Long startInterval, Integer retries) {}
