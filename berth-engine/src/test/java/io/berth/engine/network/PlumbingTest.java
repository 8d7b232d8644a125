package io.berth.engine.network;

import io.berth.engine.sys.NetNs;
import io.berth.engine.sys.Sys;
import io.berth.engine.testing.Requirements;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Root only: one container's plumbing on a test bridge {@code berthtest0}, removed afterwards. */
class PlumbingTest {
    private static final String BRIDGE = "berthtest0";
    @TempDir Path tmp;
    private Plumbing p;

    @BeforeEach
    void root() throws IOException {
        Requirements.require("root".equals(System.getProperty("user.name")), "plumbing tests need root");
        p = new Plumbing(Sys.linux(), tmp.resolve("netns"));
        p.deleteLink("vbtest2");
        p.deleteBridge(BRIDGE);
    }

    @AfterEach
    void cleanup() throws IOException {
        if (p == null) return;
        p.deleteLink("vbtest2");
        p.deleteNetns("c1");
        p.deleteBridge(BRIDGE);
    }

    @Test
    void bridgeNetnsVethRouteAndTeardown() throws Exception {
        p.ensureBridge(BRIDGE, "10.251.78.1/24", null, 1450);
        p.ensureBridge(BRIDGE, "10.251.78.1/24", null, 1450); // idempotent: bridge and address exist
        Path br = Path.of("/sys/class/net", BRIDGE);
        assertThat(Files.readString(br.resolve("mtu")).trim()).isEqualTo("1450");
        assertThat(Files.readString(br.resolve("operstate")).trim()).isNotEqualTo("down");

        Path ns = p.createNetns("c1");
        assertThat(Plumbing.hasDefaultRoute(ns)).isFalse();
        p.addVeth(ns, BRIDGE, 1450, "vbtest2", "eth0", "02:42:0a:fb:4e:02", "10.251.78.2/24", List.of(), "10.251.78.1", null);
        assertThat(Plumbing.linkExists("vbtest2")).isTrue();
        assertThat(Files.readSymbolicLink(Path.of("/sys/class/net/vbtest2/master")).getFileName().toString()).isEqualTo(BRIDGE);
        assertThat(Plumbing.hasDefaultRoute(ns)).isTrue();
        String dev = NetNs.inside(ns, () -> Files.readString(Path.of("/proc/thread-self/net/dev")));
        assertThat(dev).contains("eth0:").contains("lo:");

        p.deleteLink("vbtest2");
        assertThat(Plumbing.linkExists("vbtest2")).isFalse();
        p.deleteNetns("c1");
        assertThat(ns).doesNotExist();
        p.deleteBridge(BRIDGE);
        assertThat(br).doesNotExist();
    }

    @Test
    void ipv6GatewayOnTheBridgeAndAddressAndRouteInTheNetns() throws Exception {
        p.ensureBridge(BRIDGE, "10.251.79.1/24", "2001:db8:251::1/64", 1500);
        p.ensureBridge(BRIDGE, "10.251.79.1/24", "2001:db8:251::1/64", 1500); // idempotent
        assertThat(Files.readString(Path.of("/proc/net/if_inet6"))).containsPattern("20010db8025100000000000000000001 \\S+ 40 .* " + BRIDGE);
        Path ns = p.createNetns("c1");
        p.addVeth(ns, BRIDGE, 1500, "vbtest2", "eth0", "02:42:0a:fb:4f:02", "10.251.79.2/24", List.of(), "10.251.79.1",
                new Plumbing.V6("2001:db8:251::2/64", "2001:db8:251::1"));
        String addrs = NetNs.inside(ns, () -> Files.readString(Path.of("/proc/thread-self/net/if_inet6")));
        assertThat(addrs).as("permanent, no duplicate address detection, not tentative: flags 82")
                .containsPattern("20010db8025100000000000000000002 \\S+ 40 00 82 +eth0");
        String routes = NetNs.inside(ns, () -> Files.readString(Path.of("/proc/thread-self/net/ipv6_route")));
        assertThat(routes).as("the default route via the gateway")
                .containsPattern("(?m)^0{32} 00 0{32} 00 20010db8025100000000000000000001 .* eth0$");
        assertThat(NetNs.inside(ns, () -> Files.readString(Path.of("/proc/sys/net/ipv6/conf/all/disable_ipv6"))).strip()).isEqualTo("0");
    }
}
