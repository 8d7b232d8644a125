package io.berth.engine.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.berth.api.errors.BerthException;

/**
 * An OCI runtime as the container lifecycle drives it (the shape of containerd's runtime v2 task
 * service): create a container from a bundle, start it, signal, pause and resume it, read its state,
 * learn of its exit, attach to its stdio, and delete it; {@link #recover()} adopts the containers an
 * earlier instance left running. {@link ConmonRuntime} is conmon + runc/crun; tests use a fake.
 *
 * <p>Errors are {@link BerthException}s: {@link BerthException.NotFound} for an unknown container,
 * {@link BerthException.Conflict} for a signal to a container that is not running,
 * {@link BerthException.InvalidArgument} (with the runtime's message) for a process that cannot be
 * executed. Implementations are thread-safe.
 */
public interface OciRuntime extends AutoCloseable {

    /** A container found by {@link #recover()}: its monitor still runs, or it has exited (exit != null). */
    record Recovered(String id, Path bundle, int conmonPid, boolean monitorAlive, ExitStatus exit) {}

    /**
     * Writes {@code spec} as the bundle's {@code config.json} (with what only this runtime reads added to it) and creates
     * (not starts) the container of {@code bundle}; its attach socket is ready on return.
     */
    ContainerProcess create(String id, Path bundle, ObjectNode spec, CreateOptions opts);

    /** Starts a created container. */
    void start(String id);

    /** Sends a signal to the container's init process, or with {@code all} to every process in it. */
    void kill(String id, int signal, boolean all);

    void pause(String id);

    void resume(String id);

    /** The runtime's view of the container. */
    RuntimeState state(String id);

    /** Completes when the container's main process has exited and its exit is recorded. */
    CompletableFuture<ExitStatus> onExit(String id);

    /** Waits for {@link #onExit}. */
    default ExitStatus awaitExit(String id, Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return onExit(id).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new BerthException.SystemError("waiting for " + id + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Connects to the container's stdio. */
    Attach attach(String id);

    /** Sets the size of the container's terminal. */
    void resize(String id, int height, int width);

    /** Reopens the container's log file (after a log rotator moved it away). */
    void reopenLog(String id);

    /** Deletes the container from the runtime; {@code force} kills a running one first. */
    void delete(String id, boolean force);

    /** The containers an earlier instance left, adopted: their exits are watched again. */
    List<Recovered> recover();

    /** Stops watching exits; containers keep running. */
    @Override
    void close() throws IOException;
}
