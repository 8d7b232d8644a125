package io.berth.server.api;

import io.berth.api.ApiVersion;
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

    /** Since API 1.42 a framed stream says so in its content type; before, every stream was "raw" (moby's routers). */
    static final ApiVersion MULTIPLEXED_CONTENT_TYPE = new ApiVersion(1, 42);
    static final String RAW_STREAM = "application/vnd.docker.raw-stream";
    static final String MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream";

    private StreamFrames() {}

    /** The content type of an attach, exec or logs stream, framed or not, for the client's API version. */
    static String contentType(boolean framed, ApiVersion clientVersion) {
        return framed && clientVersion.atLeast(MULTIPLEXED_CONTENT_TYPE) ? MULTIPLEXED_STREAM : RAW_STREAM;
    }

    static void write(OutputStream out, boolean raw, int stream, byte[] data, int off, int len) throws IOException {
        if (len == 0) return;
        if (!raw) {
            out.write(new byte[] {(byte) stream, 0, 0, 0, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
        }
        out.write(data, off, len);
    }
}
