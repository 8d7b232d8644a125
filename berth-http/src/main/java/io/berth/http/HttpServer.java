package io.berth.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on any number of unix-socket and TCP listeners and serves each on its own
 * virtual thread. {@link #close()} stops accepting and closes every open connection. What is
 * served is the front's: its handler, the headers on every response, how failures are rendered,
 * and the JSON mapper of {@link Request#json} and {@link Response#json}.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    /** What one front (the Docker API, a registry) puts on this server. */
    record Front(Handler handler, Headers commonHeaders, ErrorRenderer errors, ObjectMapper json) {}

    private final Front front;
    private final List<ServerSocketChannel> listeners = new CopyOnWriteArrayList<>();
    private final List<javax.net.ssl.SSLServerSocket> tlsListeners = new CopyOnWriteArrayList<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * {@code commonHeaders} are sent on every response (Server, Api-Version, …); {@code errors}
     * renders every failure; {@code json} reads and writes JSON bodies.
     */
    public HttpServer(Handler handler, Headers commonHeaders, ErrorRenderer errors, ObjectMapper json) {
        this.front = new Front(handler, commonHeaders, errors, json);
    }

    /**
     * Binds a listener ({@link UnixDomainSocketAddress} or {@link java.net.InetSocketAddress}) and
     * starts accepting on it. A unix socket file must not exist yet. Returns the bound address.
     */
    public SocketAddress listen(SocketAddress address) throws IOException {
        ServerSocketChannel ch = address instanceof UnixDomainSocketAddress
                ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
        try {
            ch.bind(address, 128);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        listeners.add(ch);
        SocketAddress bound = ch.getLocalAddress();
        Thread.ofVirtual().name("berth-http-accept").start(() -> acceptLoop(ch));
        return bound;
    }

    /**
     * Binds a TLS listener on {@code address} with {@code tls} (see {@link TlsContexts#fromPem}) and starts accepting
     * on it; each connection's handshake runs on its own virtual thread. Returns the bound address.
     */
    public SocketAddress listenTls(java.net.InetSocketAddress address, javax.net.ssl.SSLContext tls) throws IOException {
        var ss = (javax.net.ssl.SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        try {
            ss.setReuseAddress(true);
            ss.bind(address, 128);
        } catch (IOException e) {
            ss.close();
            throw e;
        }
        tlsListeners.add(ss);
        Thread.ofVirtual().name("berth-http-accept-tls").start(() -> acceptTls(ss));
        return ss.getLocalSocketAddress();
    }

    private void acceptTls(javax.net.ssl.SSLServerSocket ss) {
        while (!closed) {
            java.net.Socket s;
            try {
                s = ss.accept();
                s.setTcpNoDelay(true);
            } catch (IOException e) {
                if (closed || ss.isClosed()) return;
                LOG.warn("accept failed: {}", e.toString());
                continue;
            }
            Connection[] self = new Connection[1];
            try {
                self[0] = new Connection(s.getInputStream(), s.getOutputStream(), s, s, front, () -> connections.remove(self[0]));
            } catch (IOException e) {
                LOG.debug("TLS connection failed: {}", e.toString());
                continue;
            }
            start(self[0]);
        }
    }

    private void start(Connection c) {
        connections.add(c);
        if (closed) {
            c.close();
            return;
        }
        Thread.ofVirtual().name("berth-http-conn").start(c);
    }

    private void acceptLoop(ServerSocketChannel ch) {
        while (!closed) {
            SocketChannel c;
            try {
                c = ch.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) return;
                LOG.warn("accept failed: {}", e.toString());
                continue;
            }
            Connection[] self = new Connection[1];
            self[0] = new Connection(c, front, () -> connections.remove(self[0]));
            start(self[0]);
        }
    }

    /** Stops accepting, closes the listeners and every open connection. */
    @Override public void close() {
        closed = true;
        for (ServerSocketChannel ch : listeners) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("closing listener: {}", e.toString());
            }
        }
        for (var ss : tlsListeners) {
            try {
                ss.close();
            } catch (IOException e) {
                LOG.debug("closing listener: {}", e.toString());
            }
        }
        for (Connection c : connections) c.close();
    }
}
