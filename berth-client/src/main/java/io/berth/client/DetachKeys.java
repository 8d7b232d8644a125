package io.berth.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Detach keys as moby/term spells them ({@code ctrl-p,ctrl-q}, {@code a}, {@code DEL}) and an
 * input stream that ends with {@link EscapeException} when the sequence is typed. Bytes that only
 * start the sequence are held back, and passed on if the next byte does not continue it.
 */
public final class DetachKeys {
    public static final String DEFAULT = "ctrl-p,ctrl-q";
    private static final String[] CTRL = {"ctrl-@", "ctrl-a", "ctrl-b", "ctrl-c", "ctrl-d", "ctrl-e", "ctrl-f", "ctrl-g", "ctrl-h",
        "ctrl-i", "ctrl-j", "ctrl-k", "ctrl-l", "ctrl-m", "ctrl-n", "ctrl-o", "ctrl-p", "ctrl-q", "ctrl-r", "ctrl-s", "ctrl-t", "ctrl-u",
        "ctrl-v", "ctrl-w", "ctrl-x", "ctrl-y", "ctrl-z", "ctrl-[", "ctrl-\\", "ctrl-]", "ctrl-^", "ctrl-_"};

    private DetachKeys() {}

    /** moby/term ToBytes. */
    public static byte[] parse(String keys) {
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
            if (key.equals("DEL")) codes.write(127);
            else throw new IllegalArgumentException("Unknown character: '" + key + "'");
        }
        return codes.toByteArray();
    }

    /** The user typed the detach sequence. */
    public static final class EscapeException extends IOException {
        public EscapeException() { super("read escape sequence"); }
    }

    /** Wraps {@code in}, watching for {@code keys}. */
    public static InputStream proxy(InputStream in, byte[] keys) {
        return keys.length == 0 ? in : new EscapeProxy(in, keys);
    }

    private static final class EscapeProxy extends InputStream {
        private final InputStream in;
        private final byte[] keys;
        private int matched;
        private byte[] pending = new byte[0];
        private int pendingPos;
        private boolean escaped;

        EscapeProxy(InputStream in, byte[] keys) {
            this.in = in;
            this.keys = keys;
        }

        @Override public int read() throws IOException {
            byte[] b = new byte[1];
            int n = read(b, 0, 1);
            return n <= 0 ? -1 : b[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (pendingPos < pending.length) {
                int n = Math.min(len, pending.length - pendingPos);
                System.arraycopy(pending, pendingPos, b, off, n);
                pendingPos += n;
                return n;
            }
            if (escaped) throw new EscapeException();
            while (true) {
                byte[] buf = new byte[Math.max(len, 1)];
                int n = in.read(buf, 0, len);
                if (n < 0) {
                    if (matched > 0) { // EOF in the middle of a sequence: pass the held bytes on
                        int m = matched;
                        matched = 0;
                        System.arraycopy(keys, 0, b, off, Math.min(m, len));
                        return Math.min(m, len);
                    }
                    return -1;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream(n + keys.length);
                for (int i = 0; i < n; i++) {
                    byte c = buf[i];
                    if (c == keys[matched]) {
                        matched++;
                        if (matched == keys.length) {
                            escaped = true;
                            break;
                        }
                    } else {
                        if (matched > 0) {
                            out.write(keys, 0, matched);
                            matched = 0;
                        }
                        if (c == keys[0]) {
                            matched = 1;
                            if (keys.length == 1) {
                                escaped = true;
                                break;
                            }
                        } else {
                            out.write(c);
                        }
                    }
                }
                if (out.size() == 0) {
                    if (escaped) throw new EscapeException();
                    continue; // everything held back so far
                }
                byte[] data = out.toByteArray();
                int k = Math.min(len, data.length);
                System.arraycopy(data, 0, b, off, k);
                pending = data;
                pendingPos = k;
                return k;
            }
        }

        @Override public void close() throws IOException { in.close(); }
    }
}
