package io.berth.engine.service;

import io.berth.api.exec.ExecConfig;
import io.berth.api.exec.ExecInspect;

/**
 * The exec backend: processes started in running containers. Errors are
 * {@link io.berth.api.errors.BerthException}s with dockerd's messages.
 */
public interface ExecService {
    /** Registers an exec instance in a running container and returns its ID. */
    String create(String containerRef, ExecConfig config);

    /**
     * Starts an exec instance. Detached, it returns once the process runs (or fails with the
     * runtime's error) and the session has no streams; attached, the caller pumps its stdio.
     */
    ProcessStdio start(String execId, boolean detach, java.util.List<Integer> consoleSize);

    ExecInspect inspect(String execId);

    void resize(String execId, int height, int width);
}
