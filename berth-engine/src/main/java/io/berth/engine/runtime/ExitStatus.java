package io.berth.engine.runtime;

import java.time.Instant;

/**
 * How a container's main process ended, as conmon recorded it: the exit code, or 128 + the signal
 * number for a death by signal (what Docker reports: SIGTERM → 143, SIGKILL → 137).
 */
public record ExitStatus(int exitCode, Instant exitedAt, boolean oomKilled) {}
