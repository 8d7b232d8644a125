package io.berth.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Docker's stdcopy: a multiplexed stream is a sequence of frames, each an 8-byte header
 * ({@code [type, 0, 0, 0, size(uint32 big-endian)]}) followed by {@code size} bytes. Type 0
 * (stdin) and 1 (stdout) go to stdout, 2 to stderr, 3 is an error from the daemon.
 */
public final class StreamDemux {
    public static final int STDIN = 0, STDOUT = 1, STDERR = 2, SYSTEMERR = 3;

    private StreamDemux() {}

    /** An error frame (type 3) or a malformed header. */
    public static final class StreamException extends IOException {
        public StreamException(String message) { super(message); }
    }

    /** Copies frames until EOF; returns the number of payload bytes written. */
    public static long copy(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] header = new byte[8];
        byte[] buf = new byte[32 * 1024];
        long total = 0;
        while (true) {
            int got = 0;
            while (got < 8) {
                int n = in.read(header, got, 8 - got);
                if (n < 0) break;
                got += n;
            }
            if (got == 0) return total;
            if (got < 8) throw new EOFException("unexpected EOF in stream frame header");
            int type = header[0] & 0xff;
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xffL) << 16) | ((header[6] & 0xffL) << 8) | (header[7] & 0xffL);
            OutputStream target = switch (type) {
                case STDIN, STDOUT -> stdout;
                case STDERR -> stderr;
                case SYSTEMERR -> null;
                default -> throw new StreamException("Unrecognized input header: " + type);
            };
            if (target == null) {
                byte[] msg = in.readNBytes((int) Math.min(size, 1 << 20));
                throw new StreamException("error from daemon in stream: " + new String(msg, StandardCharsets.UTF_8));
            }
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new EOFException("unexpected EOF in stream frame");
                target.write(buf, 0, n);
                left -= n;
            }
            target.flush();
            total += size;
        }
    }

    /** One frame's bytes: header plus payload (for tests and fakes). */
    public static byte[] frame(int type, byte[] payload) {
        byte[] f = new byte[8 + payload.length];
        f[0] = (byte) type;
        f[4] = (byte) (payload.length >>> 24);
        f[5] = (byte) (payload.length >>> 16);
        f[6] = (byte) (payload.length >>> 8);
        f[7] = (byte) payload.length;
        System.arraycopy(payload, 0, f, 8, payload.length);
        return f;
    }
}
