package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.api.DetachKeys;
import io.berth.api.errors.BerthException;
import io.berth.client.HijackedConnection;
import io.berth.client.StreamDemux;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * docker's hijackedIOStreamer: copies the container's output (demultiplexed unless tty) to our
 * stdout/stderr and our stdin to the connection, half-closing at EOF. With a tty the local
 * terminal goes raw and the detach keys are watched for.
 */
final class AttachStreamer {
    private final Cli cli;
    private final HijackedConnection conn;
    private final boolean tty;
    private final boolean stdin;
    private final byte[] detachKeys;
    private final CompletableFuture<Result> done = new CompletableFuture<>();

    /** How streaming ended. */
    enum Result { OUTPUT_DONE, DETACHED }

    AttachStreamer(Cli cli, HijackedConnection conn, boolean tty, boolean stdin, String detachKeys) {
        this.cli = cli;
        this.conn = conn;
        this.tty = tty;
        this.stdin = stdin;
        try {
            this.detachKeys = DetachKeys.parse(detachKeys);
        } catch (BerthException.InvalidArgument e) {
            throw new Main.CliException(e.getMessage());
        }
    }

    /** Starts the copy threads; {@link #await()} waits for the end. */
    AttachStreamer start() {
        Runnable restore = tty && stdin && cli.stdinTerminal ? Terminal.makeRaw() : () -> { };
        Thread.ofVirtual().name("attach-output").start(() -> {
            try {
                InputStream in = conn.input();
                if (conn.multiplexed(tty)) StreamDemux.copy(in, cli.out, cli.err);
                else copyFlushing(in, cli.out);
                done.complete(Result.OUTPUT_DONE);
            } catch (IOException e) {
                if (done.isDone()) return;
                done.completeExceptionally(e);
            } finally {
                restore.run();
            }
        });
        Thread input = Thread.ofPlatform().daemon().name("attach-input").unstarted(() -> {
            try {
                if (stdin) {
                    InputStream in = tty ? DetachKeys.proxy(cli.in, detachKeys) : cli.in;
                    copyFlushing(in, conn.output());
                }
                conn.closeWrite();
            } catch (DetachKeys.EscapeException e) {
                restore.run();
                done.complete(Result.DETACHED);
                closeQuietly();
            } catch (IOException e) {
                // the connection went away: the output side reports it
            }
        });
        input.start();
        return this;
    }

    Result await() throws IOException {
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        } finally {
            cli.out.flush();
            cli.err.flush();
        }
    }

    /**
     * {@link #await()} on behalf of a command that is also waiting for the container to exit:
     * on a stream failure closes {@code wait} and fails the command; on detach closes {@code wait}
     * and returns true (the command then exits 0).
     */
    boolean awaitDetached(BerthClient.PendingResponse wait) throws IOException {
        Result r;
        try {
            r = await();
        } catch (IOException e) {
            wait.close();
            throw new Main.CliException(e.getMessage());
        }
        if (r == Result.DETACHED) {
            wait.close();
            return true;
        }
        return false;
    }

    /** {@link #await()}, then closes the connection; a stream failure fails the command. True when the user detached. */
    boolean awaitAndClose() {
        try {
            return await() == Result.DETACHED;
        } catch (IOException e) {
            throw new Main.CliException(e.getMessage());
        } finally {
            close();
        }
    }

    void close() { closeQuietly(); }

    private void closeQuietly() {
        try {
            conn.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void copyFlushing(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            out.flush();
        }
    }
}
