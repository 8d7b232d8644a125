package io.berth.it.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping a child process the tests started: SIGTERM, a grace period, then SIGKILL. */
public final class Processes {
    private Processes() {}

    /** Stops {@code process} (a no-op when it is gone), waiting {@code grace} before killing it. */
    public static void stop(Process process, Duration grace) {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
