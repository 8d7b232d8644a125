package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, IPv6 on a user-defined bridge network through the real docker CLI: {@code --ipv6} with a v6 subnet,
 * {@code --ip6} at run and at connect, inspect's IPv6 fields, ping6 between two containers on Berth's own bridge
 * (berth-v6n1, 10.238.7.0/24 and 2001:db8:6::/64; the default bridge berth-v6d0, 10.238.6.0/24), the address
 * released at disconnect, and the bridge gone with the network.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkIpv6IT {
    private static final String BRIDGE = "berth-v6n1";

    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().arg("--bridge", "berth-v6d0", "--bip", "10.238.6.1/24").build();

    @BeforeAll
    static void image() {
        Images.importBusybox(daemon.docker(), "busybox");
    }

    private static String ok(String... args) { return daemon.docker().ok(args).strip(); }

    private static String onV6(String container, String field) {
        return ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"v6net\")." + field + "}}", container);
    }

    @AfterAll
    static void nothingLeft() {
        Result ps = daemon.docker().run("ps", "-aq");
        if (!ps.out().isBlank()) daemon.docker().run(("rm -f " + ps.out().strip().replace('\n', ' ')).split(" "));
        daemon.docker().run("network", "prune", "-f");
        daemon.stop();
        assertThat(Path.of("/sys/class/net", BRIDGE)).doesNotExist();
        assertThat(Path.of("/sys/class/net/berth-v6d0")).doesNotExist();
    }

    @Test @Order(1)
    void createsAnIpv6NetworkWithItsGatewayOnTheBridge() throws Exception {
        ok("network", "create", "--ipv6", "--subnet", "10.238.7.0/24", "--subnet", "2001:db8:6::/64",
                "-o", "com.docker.network.bridge.name=" + BRIDGE, "v6net");
        assertThat(ok("network", "inspect", "-f", "{{.EnableIPv6}}", "v6net")).isEqualTo("true");
        assertThat(ok("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}};{{end}}", "v6net"))
                .isEqualTo("10.238.7.0/24 10.238.7.1;2001:db8:6::/64 2001:db8:6::1;");
        assertThat(ok("network", "ls", "--filter", "name=v6net", "--format", "{{.Name}} {{.IPv6}}")).isEqualTo("v6net true");
        assertThat(Files.readString(Path.of("/proc/net/if_inet6"))).as("the gateway on the bridge")
                .containsPattern("20010db8000600000000000000000001 [0-9a-f]+ 40 00 [0-9a-f]+ +" + BRIDGE);
    }

    @Test @Order(2)
    void refusesWhatDockerRefuses() {
        assertThat(daemon.docker().run("network", "create", "--ipv6", "-o", "com.docker.network.bridge.name=berth-v6x", "v6bad").failed().err())
                .contains("could not find an available, non-overlapping IPv6 address pool");
        assertThat(daemon.docker().run("network", "create", "--ipv6", "--subnet", "2001:db8:9::/64", "--gateway", "2001:db8:8::1",
                "-o", "com.docker.network.bridge.name=berth-v6x", "v6bad").failed().err()).contains("2001:db8:8::1");
        assertThat(daemon.docker().run("network", "create", "--ipv6", "--subnet", "2001:db8:6:0:1::/80",
                "-o", "com.docker.network.bridge.name=berth-v6x", "v6bad").failed().err()).contains("overlaps");
        assertThat(daemon.docker().run("run", "--rm", "--network", "v6net", "--ip6", "2001:db8:7::1", "busybox", "true").failed().err())
                .contains("no configured subnet or ip-range contain the IP address 2001:db8:7::1");
        assertThat(daemon.docker().run("run", "--rm", "--ip6", "2001:db8:6::9", "busybox", "true").failed().err())
                .contains("user specified IP address is supported on user defined networks only");
        ok("network", "create", "--subnet", "10.238.8.0/24", "-o", "com.docker.network.bridge.name=berth-v6n4", "v4net");
        assertThat(daemon.docker().run("run", "--rm", "--network", "v4net", "--ip6", "2001:db8:6::9", "busybox", "true").failed().err())
                .contains("user specified IP address is supported only when connecting to networks with user configured subnets");
        ok("network", "rm", "v4net");
        assertThat(daemon.docker().run("network", "ls", "-q", "--filter", "name=v6bad").out()).isBlank();
    }

    @Test @Order(3)
    void containersGetIpv6AddressesAndPingEachOther() {
        ok("run", "-d", "--name", "a6", "--hostname", "a6host", "--network", "v6net", "--ip6", "2001:db8:6::a", "busybox", "sleep", "120");
        ok("run", "-d", "--name", "b6", "--network", "v6net", "busybox", "sleep", "120");
        assertThat(onV6("a6", "GlobalIPv6Address") + " " + onV6("a6", "GlobalIPv6PrefixLen") + " " + onV6("a6", "IPv6Gateway"))
                .isEqualTo("2001:db8:6::a 64 2001:db8:6::1");
        assertThat(onV6("a6", "IPAMConfig.IPv6Address")).isEqualTo("2001:db8:6::a");
        assertThat(ok("inspect", "-f", "{{.NetworkSettings.GlobalIPv6Address}}", "b6")).as("the first free one").isEqualTo("2001:db8:6::2");
        assertThat(ok("exec", "a6", "ip", "-6", "route")).contains("default via 2001:db8:6::1");
        assertThat(ok("exec", "a6", "cat", "/etc/hosts")).contains("2001:db8:6::a\ta6host");
        assertThat(ok("exec", "b6", "ping6", "-c", "1", "-W", "2", "2001:db8:6::a")).contains("1 packets received");
        assertThat(ok("exec", "b6", "ping6", "-c", "1", "-W", "2", "2001:db8:6::1")).as("the gateway").contains("1 packets received");
        assertThat(ok("network", "inspect", "-f", "{{range .Containers}}{{.IPv6Address}} {{end}}", "v6net"))
                .contains("2001:db8:6::a/64").contains("2001:db8:6::2/64");
        assertThat(ok("exec", "b6", "nslookup", "-type=AAAA", "a6", "127.0.0.11")).as("the embedded DNS answers AAAA")
                .contains("2001:db8:6::a");
    }

    @Test @Order(4)
    void connectWithIp6AndDisconnectReleases() {
        ok("network", "disconnect", "v6net", "a6");
        ok("run", "-d", "--name", "c6", "--network", "v6net", "--ip6", "2001:db8:6::a", "busybox", "sleep", "120");
        assertThat(onV6("c6", "GlobalIPv6Address")).as("released by the disconnect").isEqualTo("2001:db8:6::a");
        ok("network", "connect", "--ip6", "2001:db8:6::f00d", "v6net", "a6");
        assertThat(onV6("a6", "IPAMConfig.IPv6Address")).isEqualTo("2001:db8:6::f00d");
        assertThat(ok("exec", "a6", "ip", "-6", "addr")).contains("2001:db8:6::f00d/64");
        assertThat(ok("exec", "b6", "ping6", "-c", "1", "-W", "2", "2001:db8:6::f00d")).contains("1 packets received");
        ok("rm", "-f", "a6", "b6", "c6");
        ok("network", "rm", "v6net");
        assertThat(Path.of("/sys/class/net", BRIDGE)).doesNotExist();
    }
}
