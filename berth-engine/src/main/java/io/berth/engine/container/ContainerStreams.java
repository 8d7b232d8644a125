package io.berth.engine.container;

import io.berth.engine.runtime.Attach;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An attachment to a container's stdio: output frames from conmon's attach socket, and stdin
 * when the container keeps it open. It may be made before the container starts; {@link #read}
 * then waits for the start.
 */
public final class ContainerStreams implements AutoCloseable {
    private final CompletableFuture<Attach> attach;
    private final boolean tty;
    private final boolean stdin;

    public ContainerStreams(CompletableFuture<Attach> attach, boolean tty, boolean stdin) {
        this.attach = attach;
        this.tty = tty;
        this.stdin = stdin;
    }

    public boolean tty() { return tty; }

    public boolean hasStdin() { return stdin; }

    private Attach get() throws IOException {
        try {
            return attach.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the container to start", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** The next output frame, or null when the container's output has ended. */
    public Attach.Frame read() throws IOException {
        return get().read();
    }

    public OutputStream stdin() throws IOException { return get().stdin(); }

    public void closeStdin() throws IOException { get().closeStdin(); }

    @Override public void close() {
        attach.cancel(false);
        if (attach.isDone() && !attach.isCompletedExceptionally() && !attach.isCancelled()) attach.join().close();
    }
}
