package io.berth.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Splits a stream of JSON values into single values as they arrive. Values may be separated by
 * newlines or simply concatenated (as Docker's streams sometimes are); braces are tracked outside strings.
 */
public final class JsonLines {
    private JsonLines() {}

    public static void read(InputStream in, Consumer<byte[]> sink) throws IOException {
        ByteArrayOutputStream cur = new ByteArrayOutputStream(256);
        int depth = 0;
        boolean inString = false, escape = false;
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (depth == 0 && !inString && (b == '\n' || b == '\r' || b == ' ' || b == '\t')) continue;
                cur.write(b);
                if (inString) {
                    if (escape) escape = false;
                    else if (b == '\\') escape = true;
                    else if (b == '"') inString = false;
                } else if (b == '"') {
                    inString = true;
                } else if (b == '{' || b == '[') {
                    depth++;
                } else if (b == '}' || b == ']') {
                    depth--;
                    if (depth == 0) {
                        sink.accept(cur.toByteArray());
                        cur.reset();
                    }
                }
            }
        }
        if (cur.size() > 0) sink.accept(cur.toByteArray());
    }
}
