package io.berth.engine.container;

import java.time.Instant;

/** The mutable part of a container's record, replaced whole on each transition. */
public record ContainerState(ContainerStatus status, int pid, int exitCode, String error, Instant startedAt,
                             Instant finishedAt, boolean oomKilled, int restartCount, boolean manuallyStopped) {

    public static ContainerState created() {
        return new ContainerState(ContainerStatus.CREATED, 0, 0, "", null, null, false, 0, false);
    }

    public ContainerState running(int newPid, Instant at) {
        return new ContainerState(ContainerStatus.RUNNING, newPid, 0, "", at, finishedAt, false, restartCount, false);
    }

    public ContainerState exited(int code, Instant at, boolean oom) {
        return new ContainerState(ContainerStatus.EXITED, 0, code, error, startedAt, at, oom, restartCount, manuallyStopped);
    }

    public ContainerState failedToStart(int code, String message) {
        return new ContainerState(status == ContainerStatus.CREATED ? ContainerStatus.CREATED : ContainerStatus.EXITED, 0, code,
                message, startedAt, finishedAt, false, restartCount, manuallyStopped);
    }

    public ContainerState withStatus(ContainerStatus s) {
        return new ContainerState(s, pid, exitCode, error, startedAt, finishedAt, oomKilled, restartCount, manuallyStopped);
    }

    public ContainerState stoppedByUser() {
        return new ContainerState(status, pid, exitCode, error, startedAt, finishedAt, oomKilled, restartCount, true);
    }

    public ContainerState restarting() {
        return new ContainerState(ContainerStatus.RESTARTING, 0, exitCode, error, startedAt, finishedAt, oomKilled, restartCount + 1, false);
    }
}
