package io.berth.engine.container;

/**
 * What the container lifecycle tells the health checks, under the container's lock: a start (or the adoption of a
 * running container by a restarted daemon), a pause and an unpause, an exit, a removal.
 */
public interface HealthHooks {
    /** The main process runs (a start, a restart, an adoption): health starts over as starting. */
    void started(Container c);

    /** Paused or exited: probing stops and the status becomes unhealthy, as Docker's. */
    void stopped(String id);

    /** Unpaused: probing resumes, the status unchanged. */
    void unpaused(Container c);

    /** Removed: probing stops, nothing is recorded. */
    void removed(String id);

    /** No health checks. */
    HealthHooks NONE = new HealthHooks() {
        @Override public void started(Container c) { }

        @Override public void stopped(String id) { }

        @Override public void unpaused(Container c) { }

        @Override public void removed(String id) { }
    };
}
