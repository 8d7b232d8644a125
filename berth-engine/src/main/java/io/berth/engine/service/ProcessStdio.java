package io.berth.engine.service;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * The stdio of a process the engine runs — a container's main process (attach) or an exec —
 * as the fronts pump it: output frames, stdin, end of stdin, terminal size, exit. With a tty
 * there is only {@link StdStream#STDOUT}, raw terminal output. Close it when done.
 */
public interface ProcessStdio extends AutoCloseable {
    /** Receives output frames; called from one thread at a time. */
    @FunctionalInterface
    interface FrameSink {
        void frame(StdStream stream, byte[] data, int off, int len) throws IOException;
    }

    /** Whether the process runs on a terminal. */
    boolean tty();

    /** Whether the process's stdin is open to this session ({@link #stdin()} may be written). */
    boolean hasStdin();

    /**
     * Copies the process's output to {@code sink} until it ends — for an exec, also until its
     * exit is recorded, its start failure (if any) reported as a last stdout frame — or until
     * {@link #close()}. Blocks in native reads: call it from a platform thread, once.
     *
     * @throws IOException when the process's output or the sink fails
     */
    void copyOutput(FrameSink sink) throws IOException;

    /** The process's stdin; waits for the process to start. Closing it is {@link #closeStdin()}. */
    OutputStream stdin() throws IOException;

    /** Sends end-of-file on stdin (a no-op on a terminal, where it would hang the process up). */
    void closeStdin() throws IOException;

    /** Sets the terminal's size (nothing without a tty). */
    void resize(int height, int width);

    /** Completes with the exit code once the process has ended and its state is recorded. */
    CompletableFuture<Integer> exit();

    /** Ends the session: the output copy returns, the process runs on. */
    @Override void close();
}
