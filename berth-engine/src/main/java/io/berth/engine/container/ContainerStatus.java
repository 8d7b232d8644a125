package io.berth.engine.container;

/** Docker's container states, with the transitions each allows (youki-style guards). */
public enum ContainerStatus {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

    /** The name on the wire: {@code created}, {@code running}, … */
    public String wire() { return name().toLowerCase(); }

    public boolean isRunning() { return this == RUNNING || this == PAUSED; }

    public boolean canStart() { return this == CREATED || this == EXITED; }

    public boolean canPause() { return this == RUNNING; }
}
