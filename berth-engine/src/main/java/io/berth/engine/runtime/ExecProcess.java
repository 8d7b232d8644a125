package io.berth.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process started in a running container under its own conmon. Its output is in {@link #logPath()}
 * (k8s-file; read it with {@link LogReader}); {@link #onExit()} completes with its exit code
 * (128 + signal for a death by signal).
 */
public final class ExecProcess {
    private final String containerId;
    private final String execId;
    private final int pid;
    private final Path logPath;
    private final CompletableFuture<Integer> exit;

    ExecProcess(String containerId, String execId, int pid, Path logPath, CompletableFuture<Integer> exit) {
        this.containerId = containerId;
        this.execId = execId;
        this.pid = pid;
        this.logPath = logPath;
        this.exit = exit;
    }

    public String containerId() { return containerId; }

    public String execId() { return execId; }

    /** The process id on the host. */
    public int pid() { return pid; }

    public Path logPath() { return logPath; }

    public CompletableFuture<Integer> onExit() { return exit; }

    /** Waits for the exit code. */
    public int awaitExit(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("exec " + execId + " lost its monitor", e.getCause());
        }
    }
}
