package io.berth.engine.runtime;

import io.berth.engine.service.StdStream;
import io.berth.engine.sys.Unix;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A connection to conmon's attach socket ({@code AF_UNIX}, {@code SOCK_SEQPACKET}). Every packet
 * conmon sends is one frame: a stream id byte then the bytes the container wrote. What is written
 * to {@link #stdin()} goes to the container's stdin (if it was created with one);
 * {@link #closeStdin()} half-closes the socket, which closes the container's stdin when it was
 * created with {@code stdinOnce}. With a tty there is only {@link StdStream#STDOUT}.
 *
 * <p>{@link #read()} blocks its thread in a native call: read from a platform thread, or accept
 * that a virtual thread pins its carrier while it waits.
 */
public final class Attach implements AutoCloseable {
    /** conmon's STDIO_BUF_SIZE plus the stream id byte. */
    private static final int PACKET = 8192 + 1;

    /** One packet of output. */
    public record Frame(StdStream stream, byte[] data) {}

    private final Unix unix = Unix.get();
    private final int fd;
    private volatile boolean closed;
    private final OutputStream stdin = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, PACKET - 1);
                unix.write(fd, b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void close() throws IOException {
            closeStdin();
        }
    };

    private Attach(int fd) {
        this.fd = fd;
    }

    static Attach connect(Path socket) throws IOException {
        return new Attach(Unix.get().connectSeqPacket(socket));
    }

    /** The container's stdin; closing it is {@link #closeStdin()}. */
    public OutputStream stdin() {
        return stdin;
    }

    /** Sends end-of-file on stdin (shuts down the writing half of the socket). */
    public void closeStdin() throws IOException {
        if (!closed) unix.shutdown(fd, Unix.SHUT_WR);
    }

    /** The next frame, or null once conmon has closed the connection (the container's output ended). */
    public Frame read() throws IOException {
        byte[] buf = new byte[PACKET];
        for (;;) {
            if (closed) return null;
            int n = unix.read(fd, buf, 0, buf.length);
            if (n <= 0) return null;
            if (n == 1) continue; // an empty frame
            return new Frame(streamOf(buf[0]), Arrays.copyOfRange(buf, 1, n));
        }
    }

    /** conmon's stream ids on the attach socket. */
    private static StdStream streamOf(int conmonId) {
        return switch (conmonId) {
            case 1 -> StdStream.STDIN;
            case 2 -> StdStream.STDOUT;
            case 3 -> StdStream.STDERR;
            default -> throw new IllegalArgumentException("unknown conmon stream id " + conmonId);
        };
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            unix.shutdown(fd, Unix.SHUT_RDWR); // wakes a reader blocked in read()
        } catch (IOException ignored) {
            // already disconnected
        }
        unix.close(fd);
    }
}
