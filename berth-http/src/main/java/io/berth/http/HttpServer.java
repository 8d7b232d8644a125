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
            connections.add(self[0]);
            if (closed) {
                self[0].close();
                return;
            }
            Thread.ofVirtual().name("berth-http-conn").start(self[0]);
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
        for (Connection c : connections) c.close();
    }
}
