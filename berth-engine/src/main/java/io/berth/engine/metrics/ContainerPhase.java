package io.berth.engine.metrics;

/**
 * The steps a container goes through from {@code docker run} to its removal, timed one by one
 * ({@code berth_container_phase_seconds{phase=…}}), so that a run's time can be broken down.
 */
public enum ContainerPhase {
    /** The create request: name, config checks, the record written. */
    CREATE("create"),
    /** The root file system mounted (overlay) and the bundle made. */
    MOUNT("mount"),
    /** The network namespace and its interfaces set up. */
    NETWORK("network"),
    /** The OCI spec made and written. */
    SPEC("spec"),
    /** The monitor (conmon) started and the runtime's {@code create} done. */
    RUNTIME_CREATE("runtime_create"),
    /** The runtime's {@code start}: the container's process runs. */
    RUNTIME_START("runtime_start"),
    /** From the process's exit to the daemon seeing it. */
    EXIT_SEEN("exit_seen"),
    /** What follows an exit: the runtime's state deleted, network torn down, root file system released. */
    EXIT_CLEANUP("exit_cleanup"),
    /** The removal: the record, name, volume mounts and anonymous volumes gone. */
    REMOVE("remove"),
    /** The clean-up after a removal, off the client's path: runtime state, root file system, directory. */
    CLEANUP_AFTER_REMOVE("cleanup_after_remove");

    private final String label;

    ContainerPhase(String label) { this.label = label; }

    /** The value of the {@code phase} label. */
    public String label() { return label; }
}
