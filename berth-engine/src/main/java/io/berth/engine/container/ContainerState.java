package io.berth.engine.container;

import io.berth.api.container.Health;
import io.berth.api.errors.BerthException;
import java.time.Instant;

/**
 * The mutable part of a container's record, replaced whole on each transition. Transitions that
 * change the status are guarded by {@link ContainerStatus}: an illegal one is refused with the
 * conflict Docker reports for it. The rest ({@link #failedToStart}, {@link #stoppedByUser}) change
 * the record without moving it. {@code health} is the health check's status (null without one): it outlives
 * the moves, as Docker's does, and only the health monitor changes it ({@link #withHealth}).
 */
public record ContainerState(ContainerStatus status, int pid, int exitCode, String error, Instant startedAt,
                             Instant finishedAt, boolean oomKilled, int restartCount, boolean manuallyStopped, Health health) {

    /** The moves of the state machine, each guarded by its {@link ContainerStatus} check. */
    public enum Move { START, PAUSE, UNPAUSE, EXIT, RESTART, REMOVE, DIE }

    public static ContainerState created() {
        return new ContainerState(ContainerStatus.CREATED, 0, 0, "", null, null, false, 0, false, null);
    }

    /** Whether this state allows {@code move}. */
    public boolean allows(Move move) {
        return switch (move) {
            case START -> status.canStart();
            case PAUSE -> status.canPause();
            case UNPAUSE -> status.canUnpause();
            case EXIT -> status.canExit();
            case RESTART -> status.canRestart();
            case REMOVE -> status.canRemove();
            case DIE -> status.canDie();
        };
    }

    /** Refuses {@code move} of container {@code id} with Docker's conflict when this state does not allow it. */
    public void check(String id, Move move) {
        if (allows(move)) return;
        throw new BerthException.Conflict(switch (move) {
            case START -> status == ContainerStatus.REMOVING || status == ContainerStatus.DEAD
                    ? "container " + id + " is marked for removal and cannot be started"
                    : "Container " + id + " is already running";
            case PAUSE -> status == ContainerStatus.PAUSED ? "Container " + id + " is already paused" : "Container " + id + " is not running";
            case UNPAUSE -> "Container " + id + " is not paused";
            case EXIT -> "Container " + id + " is not running";
            case RESTART -> "Container " + id + " is not stopped";
            case REMOVE -> status == ContainerStatus.REMOVING
                    ? "removal of container " + id + " is already in progress"
                    : "container " + id + " did not stop; cannot remove it";
            case DIE -> "removal of container " + id + " is not in progress";
        });
    }

    /** START: the main process runs. */
    public ContainerState running(String id, int newPid, Instant at) {
        check(id, Move.START);
        return new ContainerState(ContainerStatus.RUNNING, newPid, 0, "", at, finishedAt, false, restartCount, false, health);
    }

    /** PAUSE. */
    public ContainerState paused(String id) {
        check(id, Move.PAUSE);
        return withStatus(ContainerStatus.PAUSED);
    }

    /** UNPAUSE. */
    public ContainerState unpaused(String id) {
        check(id, Move.UNPAUSE);
        return withStatus(ContainerStatus.RUNNING);
    }

    /** EXIT: the main process ended with {@code code}. */
    public ContainerState exited(String id, int code, Instant at, boolean oom) {
        check(id, Move.EXIT);
        return new ContainerState(ContainerStatus.EXITED, 0, code, error, startedAt, at, oom, restartCount, manuallyStopped, health);
    }

    /** EXIT without a process exit: a stop during the restart back-off, or a restart that failed. */
    public ContainerState stopped(String id) {
        check(id, Move.EXIT);
        return withStatus(ContainerStatus.EXITED);
    }

    /** RESTART: the restart policy's back-off begins. */
    public ContainerState restarting(String id) {
        check(id, Move.RESTART);
        return new ContainerState(ContainerStatus.RESTARTING, 0, exitCode, error, startedAt, finishedAt, oomKilled, restartCount + 1, false, health);
    }

    /** REMOVE: removal begins. */
    public ContainerState removing(String id) {
        check(id, Move.REMOVE);
        return withStatus(ContainerStatus.REMOVING);
    }

    /** DIE: the removal failed half-way; {@code message} is why. */
    public ContainerState dead(String id, String message) {
        check(id, Move.DIE);
        return new ContainerState(ContainerStatus.DEAD, 0, exitCode, message, startedAt, finishedAt, oomKilled, restartCount, manuallyStopped, health);
    }

    /** A start failed: the status stays (a created container stays created) or becomes exited (EXIT). */
    public ContainerState failedToStart(String id, int code, String message) {
        ContainerStatus to = status == ContainerStatus.CREATED ? ContainerStatus.CREATED : ContainerStatus.EXITED;
        if (to != status) check(id, Move.EXIT);
        return new ContainerState(to, 0, code, message, startedAt, finishedAt, false, restartCount, manuallyStopped, health);
    }

    /** The user stopped it (the restart policy does not apply to this exit). */
    public ContainerState stoppedByUser() {
        return new ContainerState(status, pid, exitCode, error, startedAt, finishedAt, oomKilled, restartCount, true, health);
    }

    /** The health check's new status (the health monitor's). */
    public ContainerState withHealth(Health h) {
        return new ContainerState(status, pid, exitCode, error, startedAt, finishedAt, oomKilled, restartCount, manuallyStopped, h);
    }

    private ContainerState withStatus(ContainerStatus s) {
        return new ContainerState(s, pid, exitCode, error, startedAt, finishedAt, oomKilled, restartCount, manuallyStopped, health);
    }
}
