package io.berth.engine.container;

import java.time.Duration;
import java.util.List;

/**
 * The seam under the health monitor: runs one probe in a running container and says how it ended. An
 * implementation kills a probe still running at {@code timeout}; an interrupt of the calling thread (the monitor
 * stopping) kills it too.
 */
public interface HealthProbes {
    Outcome run(Container c, List<String> argv, Duration timeout) throws InterruptedException;

    /** How a probe ended. */
    sealed interface Outcome {
        /** It ran and exited; {@code output} is its stdout and stderr together, capped as Docker caps them. */
        record Exited(int exitCode, String output) implements Outcome {}

        /** It was still running at the timeout and was killed. */
        record TimedOut() implements Outcome {}

        /** It could not run; {@code message} is Docker's error text. */
        record Failed(String message) implements Outcome {}
    }
}
