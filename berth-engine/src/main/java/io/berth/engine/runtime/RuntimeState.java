package io.berth.engine.runtime;

import java.nio.file.Path;
import java.time.Instant;

/** What the OCI runtime reports about a container ({@code runc state}). {@code pid} is 0 once stopped. */
public record RuntimeState(String id, Status status, int pid, Path bundle, Instant created) {
    public enum Status {
        CREATING, CREATED, RUNNING, PAUSED, STOPPED;

        static Status parse(String s) {
            return switch (s) {
                case "creating" -> CREATING;
                case "created" -> CREATED;
                case "running" -> RUNNING;
                case "paused", "pausing" -> PAUSED;
                case "stopped" -> STOPPED;
                default -> throw new IllegalArgumentException("unknown runtime status " + s);
            };
        }
    }
}
