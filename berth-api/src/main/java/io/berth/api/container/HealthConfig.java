package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code Healthcheck}: durations are nanoseconds; {@code Test} is {@code ["NONE"]}, {@code ["CMD", …]} or
 * {@code ["CMD-SHELL", cmd]}. Fields left out are omitted, as Go's {@code omitempty} does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthConfig(List<String> test, Long interval, Long timeout, Long startPeriod,
        Long startInterval, Integer retries) {}
