package io.berth.engine.network;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Berth's one userland proxy: a listening socket per published port inside berthd, relaying with
 * virtual threads. It serves connections the DNAT rules do not see (loopback, and the host's own
 * connections to its addresses) and, by holding the host port, makes a port that is already taken
 * fail at start.
 */
final class PortProxy {
    private static final Logger LOG = LoggerFactory.getLogger(PortProxy.class);
    private static final java.time.Duration PORT_RELEASE_WAIT = java.time.Duration.ofSeconds(1);

    /** One bound port; close it to stop relaying and drop its connections. */
    interface Listener extends Closeable {
        int port();

        @Override void close();
    }

    /** Binds {@code hostIp:hostPort} (0 picks a free one) and relays to {@code target}. */
    static Listener open(String proto, String hostIp, int hostPort, InetSocketAddress target) throws IOException {
        InetAddress bindAddr = InetAddress.getByName(hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp);
        return "udp".equals(proto) ? udp(new InetSocketAddress(bindAddr, hostPort), target) : tcp(new InetSocketAddress(bindAddr, hostPort), target);
    }

    private static Listener tcp(InetSocketAddress bind, InetSocketAddress target) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(bind, 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        Thread acceptor = Thread.ofVirtual().name("proxy-tcp-" + port).start(() -> {
            while (server.isOpen()) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    break;
                }
                open.add(client);
                Thread.ofVirtual().start(() -> relay(client, target, open));
            }
        });
        return new Listener() {
            @Override public int port() { return port; }

            @Override public void close() {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // closing
                }
                released(acceptor);
                for (SocketChannel c : open) closeQuietly(c);
            }
        };
    }

    private static void relay(SocketChannel client, InetSocketAddress target, Set<SocketChannel> open) {
        SocketChannel backend;
        try {
            backend = SocketChannel.open(target);
        } catch (IOException e) {
            LOG.debug("proxy to {}: {}", target, e.toString());
            closeQuietly(client);
            open.remove(client);
            return;
        }
        open.add(backend);
        Thread back = Thread.ofVirtual().start(() -> pump(backend, client));
        pump(client, backend);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(client);
        closeQuietly(backend);
        open.remove(client);
        open.remove(backend);
    }

    private static void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) to.write(buf);
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static Listener udp(InetSocketAddress bind, InetSocketAddress target) throws IOException {
        DatagramChannel server = DatagramChannel.open();
        try {
            server.bind(bind);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        Map<SocketAddress, DatagramChannel> flows = new ConcurrentHashMap<>();
        Thread receiver = Thread.ofVirtual().name("proxy-udp-" + port).start(() -> {
            ByteBuffer buf = ByteBuffer.allocate(65535);
            while (server.isOpen()) {
                try {
                    buf.clear();
                    SocketAddress from = server.receive(buf);
                    buf.flip();
                    DatagramChannel flow = flows.get(from);
                    if (flow == null) {
                        DatagramChannel f = DatagramChannel.open();
                        f.connect(target);
                        flows.put(from, f);
                        flow = f;
                        Thread.ofVirtual().start(() -> {
                            ByteBuffer back = ByteBuffer.allocate(65535);
                            try {
                                while (f.isOpen()) {
                                    back.clear();
                                    f.read(back);
                                    back.flip();
                                    server.send(back, from);
                                }
                            } catch (IOException e) {
                                // flow closed
                            } finally {
                                flows.remove(from);
                                closeQuietly(f);
                            }
                        });
                    }
                    flow.write(buf);
                } catch (IOException e) {
                    if (!server.isOpen()) break;
                }
            }
        });
        return new Listener() {
            @Override public int port() { return port; }

            @Override public void close() {
                closeQuietly(server);
                released(receiver);
                for (DatagramChannel f : flows.values()) closeQuietly(f);
            }
        };
    }

    /**
     * Waits (a second at most) for the thread that was blocked on a closed channel to leave it: the JDK closes the socket of
     * a channel a virtual thread is blocked on only as that thread leaves, and until then the host port stays bound (a
     * {@code docker run -p} of the same port right after would fail).
     */
    private static void released(Thread blocked) {
        try {
            if (!blocked.join(PORT_RELEASE_WAIT)) LOG.warn("{} still holds its port after its close", blocked.getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
