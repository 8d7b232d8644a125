package io.berth.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * The raw duplex stream left after a hijack: {@link #input()} carries the container's output
 * (multiplexed or raw), {@link #output()} goes to its stdin; {@link #closeWrite()} half-closes
 * the socket so the daemon sees EOF on stdin while output keeps flowing.
 */
public final class HijackedConnection implements Closeable {
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private final String contentType;

    HijackedConnection(SocketChannel channel, InputStream in, OutputStream out, String contentType) {
        this.channel = channel;
        this.in = in;
        this.out = out;
        this.contentType = contentType;
    }

    public InputStream input() { return in; }

    public OutputStream output() { return out; }

    /** The response's content type, e.g. {@code application/vnd.docker.multiplexed-stream}; may be null. */
    public String contentType() { return contentType; }

    /**
     * Whether the output is framed ({@link StreamDemux}). The daemon's content type decides when it
     * names a stream type; otherwise the container's tty setting does.
     */
    public boolean multiplexed(boolean tty) {
        if (contentType != null) {
            if (contentType.contains("multiplexed-stream")) return true;
            if (contentType.contains("raw-stream")) return false;
        }
        return !tty;
    }

    /** Flushes and half-closes the write side (stdin EOF for the container). */
    public void closeWrite() throws IOException {
        try {
            out.flush();
        } finally {
            if (channel.isOpen()) channel.shutdownOutput();
        }
    }

    @Override public void close() throws IOException { channel.close(); }
}
