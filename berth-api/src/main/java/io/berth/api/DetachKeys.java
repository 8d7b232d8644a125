package io.berth.api;

import io.berth.api.errors.BerthException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Detach keys: the sequence a user types on an attached stdin to leave a container or exec
 * running. Spelled as moby/term spells them ({@code ctrl-p,ctrl-q}, {@code a}, {@code ctrl-@},
 * {@code DEL}); {@link #parse} is dockerd's reading of the {@code detachKeys} parameter,
 * {@link Matcher} finds the sequence in a stdin stream and {@link #proxy} wraps an input stream
 * with one. Shared by the client, the CLI, the server and the engine.
 */
public final class DetachKeys {
    /** Docker's default sequence. */
    public static final String DEFAULT = "ctrl-p,ctrl-q";
    private static final String[] CTRL = {"ctrl-@", "ctrl-a", "ctrl-b", "ctrl-c", "ctrl-d", "ctrl-e", "ctrl-f", "ctrl-g", "ctrl-h",
        "ctrl-i", "ctrl-j", "ctrl-k", "ctrl-l", "ctrl-m", "ctrl-n", "ctrl-o", "ctrl-p", "ctrl-q", "ctrl-r", "ctrl-s", "ctrl-t", "ctrl-u",
        "ctrl-v", "ctrl-w", "ctrl-x", "ctrl-y", "ctrl-z", "ctrl-[", "ctrl-\\", "ctrl-]", "ctrl-^", "ctrl-_"};
    private static final int DEL = 127;

    private DetachKeys() {}

    /** moby/term {@code ToBytes}: the key codes, or {@link IllegalArgumentException} with its message. */
    public static byte[] toBytes(String keys) {
        ByteArrayOutputStream codes = new ByteArrayOutputStream();
        next:
        for (String key : keys.split(",", -1)) {
            if (key.length() == 1) {
                codes.write(key.charAt(0));
                continue;
            }
            for (int code = 0; code < CTRL.length; code++) {
                if (CTRL[code].equals(key)) {
                    codes.write(code);
                    continue next;
                }
            }
            if (!key.equals("DEL")) throw new IllegalArgumentException("Unknown character: '" + key + "'");
            codes.write(DEL);
        }
        return codes.toByteArray();
    }

    /**
     * dockerd's reading of a {@code detachKeys} parameter: null or empty is {@link #DEFAULT};
     * a bad one is {@link BerthException.InvalidArgument} with Docker's message.
     */
    public static byte[] parse(String spec) {
        if (spec == null || spec.isEmpty()) return toBytes(DEFAULT);
        try {
            return toBytes(spec);
        } catch (IllegalArgumentException e) {
            throw new BerthException.InvalidArgument("Invalid detach keys (" + spec + ") provided", e);
        }
    }

    /** The user typed the detach sequence. */
    public static final class EscapeException extends IOException {
        public EscapeException() { super("read escape sequence"); }
    }

    /**
     * Watches a byte stream for the sequence. Bytes that only start it are held back, and passed
     * on when the next byte does not continue it (or at end of stream, by {@link #held()}).
     * Not thread-safe: one stream, one matcher.
     */
    public static final class Matcher {
        private final byte[] keys;
        private int matched;
        private boolean detached;

        /** @param keys the sequence ({@link #parse}); empty never matches */
        public Matcher(byte[] keys) {
            this.keys = keys.clone();
        }

        /**
         * Feeds {@code len} bytes and returns those to pass on. Once the sequence is complete,
         * {@link #detached()} is true and the bytes after it are dropped.
         */
        public byte[] feed(byte[] b, int off, int len) {
            if (keys.length == 0 || detached) return detached ? new byte[0] : java.util.Arrays.copyOfRange(b, off, off + len);
            ByteArrayOutputStream out = new ByteArrayOutputStream(len + keys.length);
            for (int i = off; i < off + len && !detached; i++) {
                byte c = b[i];
                if (c == keys[matched]) {
                    matched++;
                } else {
                    out.write(keys, 0, matched);
                    matched = 0;
                    if (c == keys[0]) matched = 1;
                    else out.write(c);
                }
                detached = matched == keys.length;
            }
            return out.toByteArray();
        }

        /** True once the whole sequence was fed. */
        public boolean detached() { return detached; }

        /** At end of stream: the bytes held back as a possible start of the sequence, now passed on. */
        public byte[] held() {
            if (detached) return new byte[0];
            byte[] h = java.util.Arrays.copyOf(keys, matched);
            matched = 0;
            return h;
        }
    }

    /** Wraps {@code in}, which then ends with {@link EscapeException} when {@code keys} are read. */
    public static InputStream proxy(InputStream in, byte[] keys) {
        return keys.length == 0 ? in : new EscapeProxy(in, new Matcher(keys));
    }

    private static final class EscapeProxy extends InputStream {
        private final InputStream in;
        private final Matcher matcher;
        private byte[] pending = new byte[0];
        private int pendingPos;
        private boolean ended;

        EscapeProxy(InputStream in, Matcher matcher) {
            this.in = in;
            this.matcher = matcher;
        }

        @Override public int read() throws IOException {
            byte[] b = new byte[1];
            int n = read(b, 0, 1);
            return n <= 0 ? -1 : b[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (pendingPos == pending.length) {
                if (matcher.detached()) throw new EscapeException();
                if (ended) return -1;
                byte[] buf = new byte[len];
                int n = in.read(buf, 0, len);
                if (n < 0) {
                    ended = true;
                    pending = matcher.held();
                } else {
                    pending = matcher.feed(buf, 0, n);
                }
                pendingPos = 0;
            }
            int k = Math.min(len, pending.length - pendingPos);
            System.arraycopy(pending, pendingPos, b, off, k);
            pendingPos += k;
            return k;
        }

        @Override public void close() throws IOException { in.close(); }
    }
}
