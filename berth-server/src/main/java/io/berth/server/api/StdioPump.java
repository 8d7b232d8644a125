package io.berth.server.api;

import io.berth.api.DetachKeys;
import io.berth.engine.service.ProcessStdio;
import io.berth.engine.service.StdStream;
import io.berth.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Pumps a process's stdio over a hijacked connection, for attach and exec alike: its output to
 * the client (in {@link StreamFrames}, or raw) on a platform thread, the client's input to
 * its stdin on a virtual thread, watching for the detach keys. End of the client's input closes
 * the process's stdin; end of the output (or the detach keys) half-closes the connection.
 */
final class StdioPump {
    private final ProcessStdio stdio;
    private final Response.Hijacked connection;
    private final Set<StdStream> streams;
    private final boolean raw;
    private final byte[] detachKeys;
    private final String name;
    private final CompletableFuture<Boolean> detached = new CompletableFuture<>();

    /**
     * @param streams the streams the client asked for: {@link StdStream#STDIN} to copy its input
     *        (when the process has one), {@link StdStream#STDOUT} and {@link StdStream#STDERR} to receive them
     * @param raw whether the output goes raw rather than in frames: for attach, whether the container has a tty; for
     *        exec, the start request's {@code Tty} (moby frames an exec's output by the start request, not by the exec's
     *        own tty, and docker-py reads it that way)
     * @param detachKeys the sequence that ends the session, from {@link DetachKeys#parse}
     * @param name the output thread's name
     */
    StdioPump(ProcessStdio stdio, Response.Hijacked connection, Set<StdStream> streams, boolean raw, byte[] detachKeys, String name) {
        this.stdio = stdio;
        this.connection = connection;
        this.streams = Set.copyOf(streams);
        this.raw = raw;
        this.detachKeys = detachKeys.clone();
        this.name = name;
    }

    /** Pumps until the output ended or the client detached, then half-closes the connection and closes the stdio. True when detached. */
    boolean run() {
        try {
            Thread.ofPlatform().daemon().name(name).start(this::copyOutput);
            if (streams.contains(StdStream.STDIN) && stdio.hasStdin()) Thread.ofVirtual().start(this::copyInput);
            return detached.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the stdio pump failed", e.getCause());
        } finally {
            try {
                connection.closeWrite();
            } catch (IOException ignored) {
                // the client is gone
            }
            stdio.close();
        }
    }

    private void copyOutput() {
        try {
            stdio.copyOutput(this::write);
        } catch (IOException e) {
            // the client or the process went away
        } finally {
            detached.complete(false);
        }
    }

    private void write(StdStream stream, byte[] data, int off, int len) throws IOException {
        boolean err = stream == StdStream.STDERR;
        if (!streams.contains(err ? StdStream.STDERR : StdStream.STDOUT)) return;
        OutputStream out = connection.out();
        StreamFrames.write(out, raw, err ? StreamFrames.STDERR : StreamFrames.STDOUT, data, off, len);
        out.flush();
    }

    /** Client input to the process until EOF (then its stdin is closed) or the detach keys. */
    private void copyInput() {
        InputStream in = DetachKeys.proxy(connection.in(), detachKeys);
        byte[] buf = new byte[8192];
        try {
            OutputStream stdin = stdio.stdin();
            for (int n; (n = in.read(buf)) > 0; ) {
                stdin.write(buf, 0, n);
                stdin.flush();
            }
            stdio.closeStdin();
        } catch (DetachKeys.EscapeException e) {
            detached.complete(true);
        } catch (IOException e) {
            // the connection or the process ended
        }
    }
}
