package io.berth.engine.container;

import io.berth.engine.service.ProcessStdio;
import io.berth.engine.service.StdStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The stdio of a started exec process: its stdout and stderr (the terminal's output with a tty;
 * null when the exec did not ask for them) copied out as frames, its stdin, its exit. The runtime
 * shares the process's stderr (its terminal with a tty) and prints its own start failure there;
 * dockerd reports that failure once, as the last stdout frame, so the runtime's line is dropped.
 * When the exec ends while its output is still open (a background child holds it), the copy stops
 * there: what comes later is dropped, as dockerd drops it.
 */
final class ExecSession implements ProcessStdio {
    private static final int BUFFER = 32 * 1024;
    private static final String RUNTIME_FAILURE = "exec failed: ";

    private final String id;
    private final boolean tty;
    private final InputStream stdout;
    private final InputStream stderr;
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exit;
    private final ExecManager.Exec exec;
    private final Runnable onClose;
    private final Object sinkLock = new Object();
    private volatile boolean closed;
    private boolean abandoned; // guarded by sinkLock

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

    @Override public boolean tty() { return tty; }

    @Override public boolean hasStdin() { return stdin != null; }

    @Override public OutputStream stdin() { return stdin; }

    @Override public CompletableFuture<Integer> exit() { return exit; }

    /** Docker's error text when the runtime could not start the process, else null. */
    String startError() { return exec.startError; }

    /**
     * Stdout and stderr each in a thread of its own (both block natively) until both end or the exec
     * ends without them; then the exit and a start failure.
     */
    @Override public void copyOutput(FrameSink sink) throws IOException {
        String name = id.substring(0, Math.min(12, id.length()));
        CompletableFuture<Void> err = copying(stderr, StdStream.STDERR, !tty, sink, "exec-err-" + name);
        CompletableFuture<Void> out = copying(stdout, StdStream.STDOUT, tty, sink, "exec-out-" + name);
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(out, err), exec.outputAbandoned).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while copying the output of exec " + id);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("copying the output of exec " + id, e.getCause());
        }
        if (exec.outputAbandoned.isDone()) {
            synchronized (sinkLock) {
                abandoned = true; // a copy still blocked on a background child's output must not write after this
            }
        }
        if (closed) return;
        exit.join(); // completed normally by the exit handler, never exceptionally
        String error = exec.startError;
        if (error != null) {
            byte[] b = (error + "\r\n").getBytes(StandardCharsets.UTF_8);
            emit(sink, StdStream.STDOUT, b, b.length);
        }
    }

    private CompletableFuture<Void> copying(InputStream in, StdStream stream, boolean runtimeShared, FrameSink sink, String thread) {
        if (in == null) return CompletableFuture.completedFuture(null);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(thread).start(() -> {
            try {
                copy(in, stream, runtimeShared, sink);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * Copies one stream until it ends, the session is closed or the sink fails. When
     * {@code runtimeShared}, a first chunk that looks like the runtime's start failure is held
     * until more output shows the process runs, or the exit shows it failed to start.
     */
    private void copy(InputStream in, StdStream stream, boolean runtimeShared, FrameSink sink) {
        byte[] buf = new byte[BUFFER];
        byte[] held = null;
        boolean first = runtimeShared;
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                if (first && new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains(RUNTIME_FAILURE)) {
                    held = Arrays.copyOf(buf, n);
                    first = false;
                    continue;
                }
                first = false;
                if (held != null) {
                    emit(sink, stream, held, held.length);
                    held = null;
                }
                emit(sink, stream, buf, n);
            }
            if (held != null && !closed) {
                exit.join();
                if (exec.startError == null) emit(sink, stream, held, held.length);
            }
        } catch (IOException e) {
            // the process's stream was closed (the session ended) or the client went away
        }
    }

    private void emit(FrameSink sink, StdStream stream, byte[] data, int len) throws IOException {
        synchronized (sinkLock) {
            if (abandoned) throw new IOException("exec " + id + " has ended");
            sink.frame(stream, data, 0, len);
        }
    }

    /** Ends the process's stdin (not for a tty: that would hang it up). */
    @Override public void closeStdin() {
        if (tty || stdin == null) return;
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    @Override public void resize(int height, int width) { ExecManager.resize(exec, height, width); }

    @Override public void close() {
        closed = true;
        onClose.run();
    }
}
