package io.berth.engine.container;

/**
 * Docker's container states and the guards of the moves between them (youki-style): the lifecycle
 * moves a container only through {@link ContainerState}'s transitions, which check these.
 *
 * <pre>
 *  CREATED ──start──▶ RUNNING ◀─unpause── PAUSED
 *     │                 │  └────pause─────▶  │
 *     │                 exit ◀───────────────┘
 *     │                 ▼
 *     │   ┌──start──── EXITED ──restart──▶ RESTARTING ──start──▶ RUNNING
 *     │   │             │    ◀───exit (stopped, failed)─┘
 *     └───┴──remove────▶ REMOVING ──(removal failed half-way)──▶ DEAD ──remove──▶ REMOVING
 * </pre>
 * A removal that completes leaves no state: the record is gone.
 */
public enum ContainerStatus {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

    /** The name on the wire: {@code created}, {@code running}, … */
    public String wire() { return name().toLowerCase(); }

    public boolean isRunning() { return this == RUNNING || this == PAUSED; }

    /** Start by the user, by a restart policy (from the back-off) or at daemon start. */
    public boolean canStart() { return this == CREATED || this == EXITED || this == RESTARTING; }

    public boolean canPause() { return this == RUNNING; }

    public boolean canUnpause() { return this == PAUSED; }

    /** The main process ended (or its start failed), or a stop cancelled the restart back-off. */
    public boolean canExit() { return isRunning() || this == RESTARTING; }

    /** Into the restart policy's back-off, after an exit. */
    public boolean canRestart() { return this == EXITED; }

    /** Removal begins (a running container is stopped first). */
    public boolean canRemove() { return this == CREATED || this == EXITED || this == RESTARTING || this == DEAD; }

    /** A removal failed half-way. */
    public boolean canDie() { return this == REMOVING; }
}
