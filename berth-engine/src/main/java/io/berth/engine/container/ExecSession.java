package io.berth.engine.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * The stdio of a started exec process. With a tty, {@link #stdout()} carries the terminal's output
 * and {@link #stderr()} is null; streams the exec did not ask for are null. {@link #exit()}
 * completes with the exit code once the process has ended and the exec's record is updated;
 * {@link #startError()} is then Docker's message when the process could not be started.
 * Blocking reads are native: pump them on platform threads. Close it when done reading.
 */
public final class ExecSession implements AutoCloseable {
    private final String id;
    private final boolean tty;
    private final InputStream stdout;
    private final InputStream stderr;
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exit;
    private final ExecManager.Exec exec;
    private final Runnable onClose;

    ExecSession(String id, boolean tty, InputStream stdout, InputStream stderr, OutputStream stdin,
                CompletableFuture<Integer> exit, ExecManager.Exec exec, Runnable onClose) {
        this.id = id;
        this.tty = tty;
        this.stdout = stdout;
        this.stderr = stderr;
        this.stdin = stdin;
        this.exit = exit;
        this.exec = exec;
        this.onClose = onClose;
    }

    public String id() { return id; }

    public boolean tty() { return tty; }

    public InputStream stdout() { return stdout; }

    public InputStream stderr() { return stderr; }

    public OutputStream stdin() { return stdin; }

    public CompletableFuture<Integer> exit() { return exit; }

    /** Docker's error text when the runtime could not start the process, else null. */
    public String startError() { return exec.startError; }

    /** Ends the process's stdin (not for a tty: that would hang it up). */
    public void closeStdin() {
        if (tty || stdin == null) return;
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    @Override public void close() {
        onClose.run();
    }
}
