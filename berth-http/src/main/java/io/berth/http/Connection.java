package io.berth.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One client connection, served by one virtual thread: requests in order, keep-alive, then close. */
final class Connection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** Unread request body left by a handler that is skipped to keep the connection; more closes it. */
    private static final long MAX_DRAIN = 1 << 20;

    private final java.io.Closeable closer;
    private final java.io.Closeable halfCloser;
    private final InputStream in;
    private final OutputStream out;
    private final Handler handler;
    private final Headers commonHeaders;
    private final ErrorRenderer errors;
    private final ObjectMapper json;
    private final Runnable onDone;
    private boolean keepAlive;
    private boolean continueSent;
    private Runnable closeWatcher; // guarded by this
    private boolean watched;
    /** The plain socket, for zero-copy file bodies; null over TLS. */
    private SocketChannel channel;

    Connection(SocketChannel channel, HttpServer.Front front, Runnable onDone) {
        this(new ChannelInput(channel), Channels.newOutputStream(channel), channel, channel::shutdownOutput, front, onDone);
        this.channel = channel;
    }

    /** A connection over any byte streams (a TLS socket's); {@code halfCloser} ends the output only, if it can. */
    Connection(InputStream rawIn, OutputStream rawOut, java.io.Closeable closer, java.io.Closeable halfCloser,
               HttpServer.Front front, Runnable onDone) {
        this.closer = closer;
        this.halfCloser = halfCloser;
        this.in = rawIn instanceof ChannelInput ? rawIn : new BufferedInputStream(rawIn, 64 * 1024);
        this.out = new BufferedOutputStream(new ClientOutput(rawOut), 16 * 1024);
        this.handler = front.handler();
        this.commonHeaders = front.commonHeaders();
        this.errors = front.errors();
        this.json = front.json();
        this.onDone = onDone;
    }

    @Override public void run() {
        try {
            while (serveOne()) { /* next request on this connection */ }
        } catch (IOException e) {
            LOG.trace("connection ended: {}", e.toString());
        } finally {
            close();
            onDone.run();
        }
    }

    /** Serves one request; false when the connection must close. */
    private boolean serveOne() throws IOException {
        HttpCodec.RequestHead head;
        InputStream rawBody;
        try {
            head = HttpCodec.readRequestHead(in);
            if (head == null) return false;
            rawBody = HttpCodec.requestBody(head, in);
        } catch (HttpProtocolException e) {
            keepAlive = false;
            respond(e, null, new Response(this, null));
            LOG.debug("bad request: {} -> {}", e.getMessage(), e.status());
            return false;
        }
        long started = System.nanoTime();
        keepAlive = head.http11() ? !head.headers().hasToken("Connection", "close")
                : head.headers().hasToken("Connection", "keep-alive");
        continueSent = false;
        boolean expectContinue = head.http11() && "100-continue".equalsIgnoreCase(head.headers().get("Expect"));
        InputStream body = expectContinue ? Request.expectContinue(rawBody, this) : rawBody;
        Request req;
        Response res;
        try {
            req = new Request(head, body, this, json);
            res = new Response(this, req);
        } catch (HttpProtocolException e) {
            keepAlive = false;
            respond(e, null, new Response(this, null));
            return false;
        }
        try {
            handler.handle(req, res);
            if (!res.started()) throw new IllegalStateException("handler for " + req + " sent no response");
            res.finish();
        } catch (ClientDisconnectedException e) {
            LOG.debug("{} {}: client went away", req.method(), req.target());
            return false;
        } catch (Throwable t) {
            if (isDisconnect(t)) {
                LOG.debug("{} {}: client went away", req.method(), req.target());
                return false;
            }
            if (!respond(t, req, res)) keepAlive = false;
        } finally {
            synchronized (this) {
                closeWatcher = null;
            }
            Thread.interrupted(); // a close watcher's interrupt must not leak into the next request
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} {} {}ms", req.method(), req.target(), res.status(), (System.nanoTime() - started) / 1_000_000);
        }
        if (res.hijacked() || !keepAlive || watched) return false;
        if (expectContinue && !continueSent) return false; // the client may or may not send the body now
        return drain(rawBody);
    }

    /**
     * Answers {@code t} on {@code res} as the front renders it: an error response if nothing was
     * sent yet; the front's trailer if a stream already started and its type can carry one.
     * Returns false when the connection cannot be reused (a stream was cut short).
     */
    private boolean respond(Throwable t, Request req, Response res) throws IOException {
        HttpError err = errors.render(t);
        if (!res.committed()) {
            if (res.started()) res.reset();
            res.send(err.status(), err.contentType(), err.body());
            return true;
        }
        byte[] trailer = res.streaming() && res.contentType() != null ? errors.streamTrailer(err, res.contentType()) : null;
        if (trailer != null) {
            LOG.debug("{}: error after the stream started: {}", req, err.message());
            res.writeStreamError(trailer);
            res.finish();
            return true;
        }
        LOG.warn("{}: error after the response started, closing the connection: {}", req, err.message());
        return false;
    }

    private static boolean drain(InputStream body) throws IOException {
        long skipped = 0;
        byte[] buf = new byte[8192];
        int n;
        while (skipped <= MAX_DRAIN && (n = body.read(buf)) > 0) skipped += n;
        return skipped <= MAX_DRAIN;
    }

    private static boolean isDisconnect(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) if (c instanceof ClientDisconnectedException) return true;
        return false;
    }

    /** The socket's output: a failed write means the client is gone, whoever writes. */
    private static final class ClientOutput extends java.io.FilterOutputStream {
        ClientOutput(OutputStream out) { super(out); }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (ClientDisconnectedException e) {
                throw e;
            } catch (IOException e) {
                throw new ClientDisconnectedException(e);
            }
        }

        @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new ClientDisconnectedException(e);
            }
        }
    }

    InputStream in() { return in; }

    OutputStream out() { return out; }

    /** The plain socket under {@link #out()} (flush that first), or null when there is none (TLS). */
    SocketChannel channel() { return channel; }

    Headers commonHeaders() { return commonHeaders; }

    ObjectMapper json() { return json; }

    boolean keepAlive() { return keepAlive; }

    void keepAlive(boolean keep) { keepAlive = keep; }

    void sendContinue() throws IOException {
        if (continueSent) return;
        continueSent = true;
        HttpCodec.ascii(out, "HTTP/1.1 100 Continue\r\n\r\n");
        out.flush();
    }

    void shutdownOutput() throws IOException { halfCloser.close(); }

    /** Starts a virtual thread that reads the client side and runs {@code onClose} when it ends. */
    void watchClose(Runnable onClose) {
        synchronized (this) {
            if (watched) throw new IllegalStateException("already watching");
            watched = true;
            closeWatcher = onClose;
        }
        keepAlive = false;
        Thread.ofVirtual().name("berth-http-watch").start(() -> {
            try {
                in.read();
            } catch (IOException ignored) {
                // a reset or our own close: either way the client side is over
            }
            Runnable r;
            synchronized (this) {
                r = closeWatcher;
                closeWatcher = null;
            }
            if (r != null) r.run();
        });
    }

    void close() {
        try {
            closer.close();
        } catch (IOException e) {
            LOG.trace("close: {}", e.toString());
        }
    }
}
