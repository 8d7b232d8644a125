package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.format.Units;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * moby's State.String() from an inspect {@code State} object: {@code Up 3 seconds},
 * {@code Up 1 second (Paused)}, {@code Exited (0) 2 minutes ago}, {@code Created}. The daemon
 * computes {@code Status} for {@code ps}; the CLI uses this when a list entry has none.
 */
final class ContainerStatus {
    private ContainerStatus() {}

    static String describe(JsonNode s, Instant now) {
        Instant started = time(s.path("StartedAt").asText(""));
        Instant finished = time(s.path("FinishedAt").asText(""));
        if (s.path("Running").asBoolean()) {
            String up = Units.humanDuration(Duration.between(started == null ? now : started, now));
            if (s.path("Paused").asBoolean()) return "Up " + up + " (Paused)";
            if (s.path("Restarting").asBoolean())
                return "Restarting (" + s.path("ExitCode").asInt() + ") " + Units.humanDuration(Duration.between(finished == null ? now : finished, now)) + " ago";
            String health = s.path("Health").path("Status").asText("");
            if (!health.isEmpty()) return "Up " + up + " (" + (health.equals("starting") ? "health: starting" : health) + ")";
            return "Up " + up;
        }
        if (s.path("Dead").asBoolean()) return "Dead";
        if (started == null) return "Created";
        if (finished == null) return "";
        return "Exited (" + s.path("ExitCode").asInt() + ") " + Units.humanDuration(Duration.between(finished, now)) + " ago";
    }

    private static Instant time(String t) {
        if (t.isEmpty() || t.startsWith("0001-01-01")) return null;
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
