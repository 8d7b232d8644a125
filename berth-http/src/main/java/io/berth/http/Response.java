package io.berth.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * The answer to one request: either a fixed-length body ({@link #send}, {@link #json}), a chunked
 * stream ({@link #stream}) whose {@code flush()} sends at once, or a hijacked raw connection
 * ({@link #hijack}). Headers are written once: for streams lazily, at the first write or flush,
 * so a handler that fails before producing output still gets a proper error status.
 */
public final class Response {
    private enum State { NEW, STREAMING, DONE, HIJACKED }

    private static final byte[] NO_BODY = new byte[0];

    private final Connection connection;
    private final Request request;
    private final Headers headers = new Headers();
    private State state = State.NEW;
    private int status;
    private boolean committed;
    private String contentType;
    private HttpCodec.ChunkedOutputStream chunked;

    Response(Connection connection, Request request) {
        this.connection = connection;
        this.request = request;
    }

    /** Sets a response header (before anything is sent). */
    public Response header(String name, String value) {
        if (committed) throw new IllegalStateException("response already committed");
        headers.set(name, value);
        return this;
    }

    /** Sends a complete body with {@code Content-Length}. A HEAD request gets the headers only. */
    public void send(int status, String contentType, byte[] body) throws IOException {
        begin(State.DONE, status, contentType);
        boolean bodyless = bodyless(status);
        if (!bodyless) headers.set("Content-Length", Integer.toString(body.length));
        writeHead();
        if (!bodyless && !isHead()) connection.out().write(body);
        flushOut();
    }

    /** Sends {@code value} as JSON written by the server's mapper, with a trailing newline as dockerd's encoder. */
    public void json(int status, Object value) throws IOException {
        byte[] json;
        try {
            json = connection.json().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
        byte[] body = Arrays.copyOf(json, json.length + 1);
        body[json.length] = '\n';
        send(status, "application/json", body);
    }

    public void text(int status, String text) throws IOException {
        send(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** A response without a body ({@code 204}, {@code 201} of a tag, …). */
    public void empty(int status) throws IOException { send(status, null, NO_BODY); }

    /**
     * Starts a chunked response. Nothing is sent until the first write or flush; each
     * {@code flush()} sends what was written as one chunk. The server ends the stream when the
     * handler returns. For HEAD the body is discarded.
     */
    public OutputStream stream(int status, String contentType) {
        begin(State.STREAMING, status, contentType);
        return new OutputStream() {
            @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

            @Override public void write(byte[] b, int off, int len) throws IOException {
                try {
                    OutputStream o = streamOut();
                    if (o != null) o.write(b, off, len);
                } catch (ClientDisconnectedException e) {
                    throw e;
                } catch (IOException e) {
                    throw new ClientDisconnectedException(e);
                }
            }

            @Override public void flush() throws IOException {
                try {
                    OutputStream o = streamOut();
                    if (o != null) o.flush();
                    else flushOut();
                } catch (ClientDisconnectedException e) {
                    throw e;
                } catch (IOException e) {
                    throw new ClientDisconnectedException(e);
                }
            }

            @Override public void close() throws IOException { flush(); }
        };
    }

    /**
     * Starts a body of exactly {@code length} bytes (a blob, a file range) sent as is, without chunked framing. The
     * caller writes exactly {@code length} bytes to the returned stream; for HEAD (and bodyless statuses) the headers
     * go out at once, with the {@code Content-Length}, and the stream discards what is written.
     */
    public OutputStream fixed(int status, String contentType, long length) throws IOException {
        begin(State.DONE, status, contentType);
        headers.set("Content-Length", Long.toString(length));
        writeHead();
        if (bodyless(status) || isHead()) {
            flushOut();
            return OutputStream.nullOutputStream();
        }
        return new java.io.FilterOutputStream(connection.out()) {
            @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
        };
    }

    /** File bodies smaller than this go through the connection's buffer with the head, in one write. */
    private static final long ZERO_COPY_MIN = 1 << 20;

    /**
     * Sends {@code length} bytes of {@code file} from {@code position} as the body (a blob, a range of one), with its
     * {@code Content-Length}. Large bodies over a plain socket go by the kernel's zero-copy transfer (sendfile); when
     * the socket cannot take more at once (it is non-blocking under a virtual thread) the next piece is written the
     * ordinary way, which waits for it. A file shorter than promised is an EOFException (the connection then closes).
     */
    public void file(int status, String contentType, java.nio.channels.FileChannel file, long position, long length) throws IOException {
        OutputStream body = fixed(status, contentType, length);
        if (bodyless(status) || isHead()) return;
        var socket = connection.channel();
        long pos = position, left = length;
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate((int) Math.min(256 * 1024, Math.max(1, left)));
        try {
            if (socket != null && length >= ZERO_COPY_MIN) {
                connection.out().flush();
                socket.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true); // the body's last segment at once
                while (left > 0) {
                    long n = file.transferTo(pos, left, socket);
                    if (n == 0) { // the socket's buffer is full
                        n = readAt(file, bb, pos, left);
                        bb.flip();
                        while (bb.hasRemaining()) socket.write(bb);
                    }
                    pos += n;
                    left -= n;
                }
                return;
            }
        } catch (java.io.EOFException e) {
            throw e;
        } catch (IOException e) {
            throw new ClientDisconnectedException(e);
        }
        while (left > 0) {
            int n = readAt(file, bb, pos, left);
            body.write(bb.array(), 0, n);
            pos += n;
            left -= n;
        }
    }

    private static int readAt(java.nio.channels.FileChannel file, java.nio.ByteBuffer bb, long pos, long left) throws IOException {
        bb.clear().limit((int) Math.min(bb.capacity(), left));
        int n = file.read(bb, pos);
        if (n < 0) throw new java.io.EOFException("file shorter than its announced length");
        return n;
    }

    /**
     * Takes over the connection as a raw stream (attach, exec). If the client asked to upgrade,
     * answers {@code 101 UPGRADED} with {@code Connection: Upgrade} and {@code Upgrade: tcp}; else
     * {@code 200 OK}; both with {@code Content-Type: application/vnd.docker.raw-stream}. The
     * connection is closed when the handler returns.
     */
    public Hijacked hijack() throws IOException { return hijack("application/vnd.docker.raw-stream"); }

    /** As {@link #hijack()}, naming the stream's framing: raw (tty) or {@code application/vnd.docker.multiplexed-stream}. */
    public Hijacked hijack(String contentType) throws IOException {
        boolean upgrade = request.wantsUpgrade();
        begin(State.HIJACKED, upgrade ? 101 : 200, contentType);
        if (upgrade) {
            headers.set("Connection", "Upgrade");
            headers.set("Upgrade", "tcp");
        }
        connection.keepAlive(false);
        writeHead();
        flushOut();
        return new Hijacked(connection.in(), connection.out(), connection);
    }

    /** True once the status line and headers are on the wire. */
    public boolean committed() { return committed; }

    /** The status sent or about to be sent, 0 before the handler chose one. */
    public int status() { return status; }

    /** The content type of the response chosen so far, or null. */
    public String contentType() { return contentType; }

    boolean started() { return state != State.NEW; }

    boolean streaming() { return state == State.STREAMING; }

    boolean hijacked() { return state == State.HIJACKED; }

    /** Ends a stream (sending headers first if nothing was written). */
    void finish() throws IOException {
        if (state == State.DONE && committed) flushOut(); // a fixed body written by the handler
        if (state != State.STREAMING) return;
        OutputStream o = streamOut();
        if (o != null) o.close();
        else flushOut();
        state = State.DONE;
    }

    /** Appends an error line to a started JSON stream. */
    void writeStreamError(byte[] line) throws IOException {
        OutputStream o = streamOut();
        if (o != null) {
            o.write(line);
            o.flush();
        }
    }

    /** Drops a started stream so that an error response can replace it (only before commit). */
    void reset() {
        if (committed) throw new IllegalStateException("response already committed");
        state = State.NEW;
        status = 0;
        contentType = null;
        chunked = null;
        headers.remove("Content-Type").remove("Content-Length").remove("Transfer-Encoding");
    }

    private void begin(State next, int status, String contentType) {
        if (state != State.NEW) throw new IllegalStateException("response already started");
        state = next;
        this.status = status;
        this.contentType = contentType;
        if (contentType != null) headers.set("Content-Type", contentType);
    }

    /** The chunked stream, committing headers on first use; null for HEAD. */
    private OutputStream streamOut() throws IOException {
        if (!committed) {
            if (!bodyless(status) && !isHead()) headers.set("Transfer-Encoding", "chunked");
            writeHead();
            if (!bodyless(status) && !isHead()) chunked = new HttpCodec.ChunkedOutputStream(connection.out());
        }
        return chunked;
    }

    private boolean isHead() { return request != null && request.method().equals("HEAD"); }

    private static boolean bodyless(int status) { return status < 200 || status == 204 || status == 304; }

    private void writeHead() throws IOException {
        committed = true;
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        connection.commonHeaders().forEach((k, v) -> { if (!headers.has(k)) sb.append(k).append(": ").append(v).append("\r\n"); });
        sb.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        if (!connection.keepAlive() && state != State.HIJACKED) sb.append("Connection: close\r\n");
        else if (request != null && !request.http11() && state != State.HIJACKED) sb.append("Connection: keep-alive\r\n");
        sb.append("\r\n");
        try {
            HttpCodec.ascii(connection.out(), sb.toString());
        } catch (IOException e) {
            throw new ClientDisconnectedException(e);
        }
    }

    private void flushOut() throws IOException {
        try {
            connection.out().flush();
        } catch (IOException e) {
            throw new ClientDisconnectedException(e);
        }
    }

    static String reason(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "UPGRADED";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 206 -> "Partial Content";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 405 -> "Method Not Allowed";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 416 -> "Range Not Satisfiable";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }

    /** The raw streams of a hijacked connection. Flush {@code out} after writing. */
    public static final class Hijacked {
        private final InputStream in;
        private final OutputStream out;
        private final Connection connection;

        Hijacked(InputStream in, OutputStream out, Connection connection) {
            this.in = in;
            this.out = out;
            this.connection = connection;
        }

        public InputStream in() { return in; }

        public OutputStream out() { return out; }

        /** Half-closes the connection: the client reads end of stream, and may still send. */
        public void closeWrite() throws IOException {
            out.flush();
            connection.shutdownOutput();
        }
    }
}
