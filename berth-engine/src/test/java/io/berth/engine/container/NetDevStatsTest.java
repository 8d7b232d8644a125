package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.container.ContainerStats.NetworkStats;
import org.junit.jupiter.api.Test;

/** The networks of stats from a /proc/net/dev text. No root. */
class NetDevStatsTest {
    private static final String DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:     140       2    0    0    0     0          0         0      140       2    0    0    0     0       0          0
              eth0:    2596      26    1    2    0     0          0         0     1010      13    3    4    0     0       0          0
              eth1:     90        1    0    0    0     0          0         0        0       0    0    0    0     0       0          0
            """;

    @Test
    void everyInterfaceButLoWithReceiveAndTransmitCounters() {
        var nets = NetDevStats.parse(DEV);
        assertThat(nets).containsOnlyKeys("eth0", "eth1");
        assertThat(nets.get("eth0")).isEqualTo(new NetworkStats(2596, 26, 1, 2, 1010, 13, 3, 4));
        assertThat(nets.keySet()).containsExactly("eth0", "eth1");
    }
}
