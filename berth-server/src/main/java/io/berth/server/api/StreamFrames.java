package io.berth.server.api;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Docker's stdio framing for non-tty streams (attach, logs, exec): an 8-byte header (stream type
 * 1 stdout / 2 stderr, three zero bytes, big-endian payload length) before each payload; with a tty
 * the bytes go raw.
 */
final class StreamFrames {
    static final int STDOUT = 1;
    static final int STDERR = 2;

    private StreamFrames() {}

    static void write(OutputStream out, boolean raw, int stream, byte[] data, int off, int len) throws IOException {
        if (len == 0) return;
        if (!raw) {
            out.write(new byte[] {(byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
        }
        out.write(data, off, len);
    }
}
