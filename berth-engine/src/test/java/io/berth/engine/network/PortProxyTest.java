package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;

/**
 * A published port is free again once its listener's close returns ({@code docker run -p P:80 --rm …} then another
 * {@code -p P:80}), though a virtual thread was blocked on its socket. On loopback; no root.
 */
class PortProxyTest {
    private static final InetSocketAddress TARGET = new InetSocketAddress("127.0.0.1", 9);
    private static final int ROUNDS = 200;

    /** Binds a socket of the protocol to the address and closes it. */
    private interface Binder {
        void bind(InetSocketAddress address) throws Exception;
    }

    /** Opens and closes a listener ROUNDS times; each time the freed port must be bound again at once. */
    private static void rebindsAtOnce(String proto, Binder binder) throws Exception {
        int rebound = 0;
        for (int i = 0; i < ROUNDS; i++) {
            PortProxy.Listener l = PortProxy.open(proto, "127.0.0.1", 0, TARGET);
            int port = l.port();
            l.close();
            binder.bind(new InetSocketAddress("127.0.0.1", port));
            rebound++;
        }
        assertThat(rebound).isEqualTo(ROUNDS);
    }

    @Test
    void aClosedTcpPortCanBeBoundAgainAtOnce() throws Exception {
        rebindsAtOnce("tcp", a -> {
            try (ServerSocketChannel again = ServerSocketChannel.open()) {
                again.bind(a);
            }
        });
    }

    @Test
    void aClosedUdpPortCanBeBoundAgainAtOnce() throws Exception {
        rebindsAtOnce("udp", a -> {
            try (DatagramChannel again = DatagramChannel.open()) {
                again.bind(a);
            }
        });
    }
}
