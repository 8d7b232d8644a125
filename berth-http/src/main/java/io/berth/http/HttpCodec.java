package io.berth.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 framing for both sides of a connection, within fixed limits: request heads (server)
 * and response heads (client), header fields, fixed-length and chunked bodies in both directions.
 */
public final class HttpCodec {
    /** Longest request line or header line. */
    public static final int MAX_LINE = 8 * 1024;
    /** Most header fields in one request. */
    public static final int MAX_HEADERS = 100;
    /** Most bytes in the whole head (request line and fields). */
    public static final int MAX_HEAD = 64 * 1024;
    /** Longest status line or header line of a response. */
    public static final int MAX_RESPONSE_LINE = 64 * 1024;

    /** How much of a head one side accepts; {@code side} names it in the error messages. */
    private record Limits(String side, int maxLine, int maxHead, int maxFields) {}

    private static final Limits REQUEST = new Limits("request", MAX_LINE, MAX_HEAD, MAX_HEADERS);
    private static final Limits RESPONSE = new Limits("response", MAX_RESPONSE_LINE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    private HttpCodec() {}

    /** A parsed request line and header fields. */
    public record RequestHead(String method, String target, String protocol, Headers headers) {
        public boolean http11() { return protocol.equals("HTTP/1.1"); }
    }

    /** A parsed status line and header fields. */
    public record ResponseHead(int status, String reason, Headers headers) {}

    /** Reads a request head; returns null on a clean end of stream before the first byte. */
    public static RequestHead readRequestHead(InputStream in) throws IOException {
        int[] budget = {MAX_HEAD};
        String line;
        do { // RFC 9112 §2.2: ignore empty lines before the request line
            line = readLine(in, REQUEST, budget, true);
            if (line == null) return null;
        } while (line.isEmpty());
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[0].chars().allMatch(HttpCodec::tchar)) {
            throw new HttpProtocolException(400, "malformed HTTP request line");
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new HttpProtocolException(505, "HTTP version not supported: " + parts[2]);
        }
        return new RequestHead(parts[0], parts[1], parts[2], readFields(in, REQUEST, budget));
    }

    /**
     * Reads a response head, skipping interim {@code 100 Continue} answers. End of stream before
     * the status line is an {@link EOFException}; a status line that is not HTTP/1.x an {@link IOException}.
     */
    public static ResponseHead readResponseHead(InputStream in) throws IOException {
        while (true) {
            int[] budget = {RESPONSE.maxHead()};
            String line;
            do {
                line = readLine(in, RESPONSE, budget, true);
                if (line == null) throw new EOFException("connection closed before the response");
            } while (line.isEmpty());
            String[] parts = line.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("malformed HTTP status line: " + line);
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("malformed HTTP status line: " + line);
            }
            Headers headers = readFields(in, RESPONSE, budget);
            if (status != 100) return new ResponseHead(status, parts.length > 2 ? parts[2] : "", headers);
        }
    }

    /** Reads header fields up to the empty line that ends a head (RFC 9112 §5). */
    private static Headers readFields(InputStream in, Limits limits, int[] budget) throws IOException {
        Headers headers = new Headers();
        while (true) {
            String h = readLine(in, limits, budget, false);
            if (h.isEmpty()) return headers;
            if (headers.size() >= limits.maxFields()) throw new HttpProtocolException(431, "too many header fields");
            if (h.charAt(0) == ' ' || h.charAt(0) == '\t') throw new HttpProtocolException(400, "obsolete header line folding");
            int colon = h.indexOf(':');
            if (colon <= 0) throw new HttpProtocolException(400, "malformed header field");
            String name = h.substring(0, colon);
            if (!name.chars().allMatch(HttpCodec::tchar)) throw new HttpProtocolException(400, "malformed header field name");
            headers.add(name, h.substring(colon + 1).strip());
        }
    }

    /**
     * The request body per RFC 9112 §6: chunked if Transfer-Encoding says so, else Content-Length
     * bytes, else empty. Closing the returned stream does not close {@code in}.
     */
    public static InputStream requestBody(RequestHead head, InputStream in) {
        Headers h = head.headers();
        if (h.has("Transfer-Encoding")) {
            String te = String.join(",", h.all("Transfer-Encoding")).trim().toLowerCase(Locale.ROOT);
            if (!te.equals("chunked")) throw new HttpProtocolException(501, "unsupported transfer encoding: " + te);
            return new ChunkedInputStream(in);
        }
        var lengths = h.all("Content-Length");
        if (lengths.isEmpty()) return InputStream.nullInputStream();
        String first = lengths.getFirst().trim();
        for (String l : lengths) if (!l.trim().equals(first)) throw new HttpProtocolException(400, "conflicting Content-Length");
        long n;
        try {
            n = Long.parseLong(first);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || !first.chars().allMatch(Character::isDigit)) throw new HttpProtocolException(400, "invalid Content-Length: " + first);
        return n == 0 ? InputStream.nullInputStream() : new FixedLengthInputStream(in, n);
    }

    /**
     * The body of a response to {@code method} (RFC 9112 §6.3): none for HEAD, 204 and 304;
     * chunked or Content-Length bytes as the head says; else everything until the connection closes.
     */
    public static InputStream responseBody(ResponseHead head, String method, InputStream in) {
        if (method.equals("HEAD") || head.status() == 204 || head.status() == 304) return InputStream.nullInputStream();
        if (head.headers().hasToken("Transfer-Encoding", "chunked")) return new ChunkedInputStream(in);
        String length = head.headers().get("Content-Length");
        if (length != null) return new FixedLengthInputStream(in, Long.parseLong(length.trim()));
        return in;
    }

    /** Writes a request line and header fields. */
    public static void writeRequestHead(OutputStream out, String method, String target, Headers headers) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("\r\n");
        ascii(out, sb.toString());
    }

    /** Copies {@code in} to {@code out} as a chunked body, ends it and flushes. */
    public static void writeChunked(OutputStream out, InputStream in) throws IOException {
        try (ChunkedOutputStream chunked = new ChunkedOutputStream(out)) {
            in.transferTo(chunked);
        }
    }

    /**
     * Reads one line ending in LF (CR before it is dropped), charging {@code budget}. Returns null
     * on end of stream before any byte when {@code eofOk}.
     */
    static String readLine(InputStream in, int[] budget, boolean eofOk) throws IOException {
        return readLine(in, REQUEST, budget, eofOk);
    }

    private static String readLine(InputStream in, Limits limits, int[] budget, boolean eofOk) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (eofOk && buf.size() == 0) return null;
                throw new EOFException("unexpected end of stream");
            }
            if (b == '\n') break;
            if (buf.size() >= limits.maxLine()) throw new HttpProtocolException(431, limits.side() + " line or header field too long");
            if (--budget[0] < 0) throw new HttpProtocolException(431, limits.side() + " header too large");
            buf.write(b);
        }
        byte[] bytes = buf.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') len--;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }

    private static boolean tchar(int c) {
        return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    /** Writes {@code s} as ISO-8859-1 bytes. */
    static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads exactly {@code length} bytes, then reports end of stream. */
    static final class FixedLengthInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        FixedLengthInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            if (len == 0) return 0;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) throw new EOFException("body ended " + remaining + " bytes early");
            remaining -= n;
            return n;
        }

        @Override public int available() throws IOException { return (int) Math.min(in.available(), remaining); }

        @Override public void close() {}
    }

    /** Decodes a chunked body (RFC 9112 §7.1); chunk extensions and trailer fields are ignored. */
    static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long chunkLeft;
        private boolean done;

        ChunkedInputStream(InputStream in) { this.in = in; }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (done) return -1;
            if (len == 0) return 0;
            if (chunkLeft == 0) {
                chunkLeft = nextChunkSize();
                if (chunkLeft == 0) {
                    done = true;
                    int[] budget = {MAX_HEAD};
                    String trailer;
                    do {
                        trailer = readLine(in, budget, false);
                    } while (!trailer.isEmpty());
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) throw new EOFException("chunked body ended early");
            chunkLeft -= n;
            if (chunkLeft == 0) {
                int[] budget = {2};
                if (!readLine(in, budget, false).isEmpty()) throw new HttpProtocolException(400, "malformed chunk");
            }
            return n;
        }

        private long nextChunkSize() throws IOException {
            int[] budget = {MAX_LINE};
            String line = readLine(in, budget, false);
            int semi = line.indexOf(';');
            String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
            if (hex.isEmpty() || hex.length() > 15) throw new HttpProtocolException(400, "malformed chunk size");
            try {
                return Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new HttpProtocolException(400, "malformed chunk size");
            }
        }

        @Override public void close() {}
    }

    /**
     * Encodes a chunked body. Writes collect in a buffer; {@link #flush()} sends what was
     * written as one chunk at once; {@link #close()} sends the last chunk and the terminator.
     */
    static final class ChunkedOutputStream extends OutputStream {
        private final OutputStream out;
        private final byte[] buf = new byte[16 * 1024];
        private int count;
        private boolean closed;

        ChunkedOutputStream(OutputStream out) { this.out = out; }

        @Override public void write(int b) throws IOException {
            if (count == buf.length) emit();
            buf[count++] = (byte) b;
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("stream closed");
            if (len >= buf.length) {
                emit();
                writeChunk(b, off, len);
                return;
            }
            if (len > buf.length - count) emit();
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void emit() throws IOException {
            if (count > 0) writeChunk(buf, 0, count);
            count = 0;
        }

        private void writeChunk(byte[] b, int off, int len) throws IOException {
            ascii(out, Integer.toHexString(len) + "\r\n");
            out.write(b, off, len);
            ascii(out, "\r\n");
        }

        @Override public void flush() throws IOException {
            if (closed) return;
            emit();
            out.flush();
        }

        @Override public void close() throws IOException {
            if (closed) return;
            emit();
            ascii(out, "0\r\n\r\n");
            out.flush();
            closed = true;
        }
    }
}
