package io.berth.engine.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An OCI runtime's {@code --console-socket}: berthd listens on a unix socket, the runtime connects and sends the
 * pty master of the process it starts ({@code SCM_RIGHTS}), and berthd reads and writes that terminal itself, so no
 * runtime relays it. {@link #receiveMaster} blocks until the master comes or {@link #abandon} says the runtime is
 * gone (call it when the runtime exits: it ends a blocked or later {@code receiveMaster}); {@link #close} deletes
 * the socket.
 */
public final class ConsoleSocket implements AutoCloseable {
    private final Path path;
    private final int fd;
    private boolean closed; // guarded by this: the descriptor is not shut down once closed (its number may be reused)
    private boolean abandoned; // guarded by this

    private ConsoleSocket(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Listens at {@code path}, which must not exist. */
    public static ConsoleSocket listen(Path path) throws IOException {
        return new ConsoleSocket(path, Unix.get().listenStream(path));
    }

    public Path path() { return path; }

    /**
     * The pty master the runtime sent (close-on-exec, the caller's to close), or -1 when the runtime hung up without
     * sending one, or exited without connecting ({@link #abandon}).
     */
    public int receiveMaster() throws IOException {
        int conn;
        try {
            conn = Unix.get().accept(fd);
        } catch (IOException e) {
            if (abandoned()) return -1;
            throw e;
        }
        try {
            return Unix.get().receiveFd(conn);
        } finally {
            Unix.get().close(conn);
        }
    }

    /**
     * The runtime is gone: a {@link #receiveMaster} blocked on the connection, or called later, takes a connection
     * already made and otherwise returns -1.
     */
    public synchronized void abandon() {
        if (closed || abandoned) return;
        abandoned = true;
        try {
            Unix.get().shutdown(fd, Unix.SHUT_RD);
        } catch (IOException e) {
            throw new IllegalStateException("shutting down console socket " + path + ": " + e.getMessage(), e);
        }
    }

    private synchronized boolean abandoned() { return abandoned; }

    /** Closes the socket and deletes its file. */
    @Override public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        Unix.get().close(fd);
        Files.deleteIfExists(path);
    }
}
