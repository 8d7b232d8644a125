package io.berth.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;

/**
 * The input side of a plain connection, buffered in direct memory of its own: the kernel copies into that buffer and
 * a read copies out of it once. ({@code Channels.newInputStream} under a {@code BufferedInputStream} copied each byte
 * twice, through the JDK's temporary direct buffer and the stream's array, and asked the kernel how much was available
 * after every read.) The buffer starts small, so that an idle connection costs little, and grows to {@link #MAX} while
 * reads keep filling it, as when a large body streams in. One reader at a time.
 */
final class ChannelInput extends InputStream {
    private static final int START = 16 * 1024;
    static final int MAX = 1 << 20;

    private final ReadableByteChannel channel;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(START).flip(); // position..limit: not read yet

    ChannelInput(ReadableByteChannel channel) { this.channel = channel; }

    /** Reads what the channel has (at least a byte, unless it ended) into the empty buffer; false at its end. */
    private boolean fill() throws IOException {
        buffer.clear();
        int n;
        do {
            n = channel.read(buffer);
        } while (n == 0);
        buffer.flip();
        if (n > 0 && n == buffer.capacity() && buffer.capacity() < MAX) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.min(MAX, buffer.capacity() * 4));
            buffer = bigger.put(buffer).flip();
        }
        return n > 0;
    }

    @Override public int read() throws IOException {
        if (!buffer.hasRemaining() && !fill()) return -1;
        return buffer.get() & 0xff;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (!buffer.hasRemaining() && !fill()) return -1;
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }

    @Override public int available() { return buffer.remaining(); }

    @Override public void close() throws IOException { channel.close(); }
}
