package io.berth.engine.container;

import io.berth.engine.runtime.Attach;
import io.berth.engine.service.ProcessStdio;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * An attachment to a container's stdio: output frames from conmon's attach socket, and stdin
 * when the container keeps it open. It may be made before the container starts; the output copy
 * and {@link #stdin()} then wait for the start.
 */
final class ContainerStreams implements ProcessStdio {
    /** Sets the terminal size of the container's main process. */
    @FunctionalInterface
    interface Resizer {
        void resize(int height, int width);
    }

    private final CompletableFuture<Attach> attach;
    private final boolean tty;
    private final boolean stdin;
    private final CompletableFuture<Integer> exit;
    private final Resizer resizer;

    ContainerStreams(CompletableFuture<Attach> attach, boolean tty, boolean stdin, CompletableFuture<Integer> exit, Resizer resizer) {
        this.attach = attach;
        this.tty = tty;
        this.stdin = stdin;
        this.exit = exit;
        this.resizer = resizer;
    }

    @Override public boolean tty() { return tty; }

    @Override public boolean hasStdin() { return stdin; }

    /** The connection to conmon, or null once this session was closed before it was made. */
    private Attach get() throws IOException {
        try {
            return attach.get();
        } catch (CancellationException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the container to start", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    @Override public void copyOutput(FrameSink sink) throws IOException {
        Attach a = get();
        if (a == null) return;
        for (Attach.Frame f; (f = a.read()) != null; ) sink.frame(f.stream(), f.data(), 0, f.data().length);
    }

    @Override public OutputStream stdin() throws IOException {
        Attach a = get();
        if (a == null) throw new IOException("the attach session is closed");
        return a.stdin();
    }

    @Override public void closeStdin() throws IOException {
        Attach a = get();
        if (a != null) a.closeStdin();
    }

    @Override public void resize(int height, int width) { resizer.resize(height, width); }

    @Override public CompletableFuture<Integer> exit() { return exit; }

    @Override public void close() {
        attach.cancel(false);
        if (attach.isDone() && !attach.isCompletedExceptionally() && !attach.isCancelled()) attach.join().close();
    }
}
