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

    @Test
    void aClosedTcpPortCanBeBoundAgainAtOnce() throws Exception {
        int rebound = 0;
        for (int i = 0; i < ROUNDS; i++) {
            PortProxy.Listener l = PortProxy.open("tcp", "127.0.0.1", 0, TARGET);
            int port = l.port();
            l.close();
            try (ServerSocketChannel again = ServerSocketChannel.open()) {
                again.bind(new InetSocketAddress("127.0.0.1", port));
                rebound++;
            }
        }
        assertThat(rebound).isEqualTo(ROUNDS);
    }

    @Test
    void aClosedUdpPortCanBeBoundAgainAtOnce() throws Exception {
        int rebound = 0;
        for (int i = 0; i < ROUNDS; i++) {
            PortProxy.Listener l = PortProxy.open("udp", "127.0.0.1", 0, TARGET);
            int port = l.port();
            l.close();
            try (DatagramChannel again = DatagramChannel.open()) {
                again.bind(new InetSocketAddress("127.0.0.1", port));
                rebound++;
            }
        }
        assertThat(rebound).isEqualTo(ROUNDS);
    }
}
