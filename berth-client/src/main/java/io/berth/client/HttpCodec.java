package io.berth.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Berth's own HTTP/1.1 wire code: request heads, chunked request bodies, response heads and body framing. */
final class HttpCodec {
    private HttpCodec() {}

    static void writeHead(OutputStream out, String method, String target, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Copies {@code in} to {@code out} as HTTP chunks, then the last chunk. */
    static void writeChunked(OutputStream out, InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(buf, 0, n);
            out.write('\r');
            out.write('\n');
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
            if (line.size() > 64 * 1024) throw new IOException("HTTP header line too long");
        }
        if (line.size() == 0) return null;
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    record Head(int status, String reason, Map<String, List<String>> headers) {
        String first(String name) {
            for (var e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue().getFirst();
            return null;
        }
    }

    static Head readHead(InputStream in) throws IOException {
        String status;
        do {
            status = readLine(in);
            if (status == null) throw new EOFException("connection closed before the response");
        } while (status.isEmpty());
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("malformed HTTP status line: " + status);
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status line: " + status);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
        }
        if (code == 100) return readHead(in);
        return new Head(code, parts.length > 2 ? parts[2] : "", headers);
    }

    /** The body stream the head describes. */
    static InputStream body(Head head, String method, InputStream in) {
        if (method.equals("HEAD") || head.status() == 204 || head.status() == 304) return InputStream.nullInputStream();
        String te = head.first("Transfer-Encoding");
        if (te != null && te.toLowerCase().contains("chunked")) return new ChunkedInputStream(in);
        String cl = head.first("Content-Length");
        if (cl != null) return new FixedLengthInputStream(in, Long.parseLong(cl.trim()));
        return in;
    }

    static final class FixedLengthInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        FixedLengthInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override public int read() throws IOException {
            if (remaining <= 0) return -1;
            int c = in.read();
            if (c < 0) throw new EOFException("unexpected end of response body");
            remaining--;
            return c;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) throw new EOFException("unexpected end of response body");
            remaining -= n;
            return n;
        }

        @Override public int available() throws IOException { return (int) Math.min(in.available(), remaining); }
    }

    static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long chunkLeft;
        private boolean done;

        ChunkedInputStream(InputStream in) { this.in = in; }

        private boolean ensure() throws IOException {
            if (done) return false;
            if (chunkLeft > 0) return true;
            String line = readLine(in);
            if (line == null) throw new EOFException("unexpected end of chunked body");
            if (line.isEmpty()) line = readLine(in); // CRLF after the previous chunk's data
            if (line == null) throw new EOFException("unexpected end of chunked body");
            int semi = line.indexOf(';');
            String size = (semi >= 0 ? line.substring(0, semi) : line).trim();
            chunkLeft = Long.parseLong(size, 16);
            if (chunkLeft == 0) {
                String trailer;
                while ((trailer = readLine(in)) != null && !trailer.isEmpty()) { /* skip trailers */ }
                done = true;
                return false;
            }
            return true;
        }

        @Override public int read() throws IOException {
            if (!ensure()) return -1;
            int c = in.read();
            if (c < 0) throw new EOFException("unexpected end of chunked body");
            chunkLeft--;
            return c;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!ensure()) return -1;
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) throw new EOFException("unexpected end of chunked body");
            chunkLeft -= n;
            return n;
        }
    }
}
