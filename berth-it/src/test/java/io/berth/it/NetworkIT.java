package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4, networks: the real docker CLI against berthd on a private default bridge (berth-it0,
 * 10.233.0.0/24) and private user networks; at the end nothing Berth made is left on the host.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkIT {
    private static final String BRIDGE = "berth-it0";

    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().arg("--bridge", BRIDGE, "--bip", "10.233.0.1/24").build();

    @BeforeAll
    static void image() {
        Images.importBusybox(daemon.docker(), "busybox");
    }

    private static String ok(String... args) { return daemon.docker().ok(args).strip(); }

    private static String ip(String c) { return ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", c); }

    @AfterAll
    static void nothingLeft() throws Exception {
        Result ps = daemon.docker().run("ps", "-aq");
        if (!ps.out().isBlank()) daemon.docker().run(("rm -f " + ps.out().strip().replace('\n', ' ')).split(" "));
        daemon.docker().run("network", "prune", "-f");
        daemon.stop();
        assertThat(Path.of("/sys/class/net", BRIDGE)).doesNotExist();
        assertThat(links()).noneMatch(l -> l.startsWith("veth") || l.startsWith("br-") || l.startsWith("berth-it"));
        Path netns = daemon.execRoot().resolve("netns");
        if (Files.isDirectory(netns)) try (var s = Files.list(netns)) { assertThat(s.toList()).isEmpty(); }
        for (String table : List.of("nat", "filter")) {
            Process p = new ProcessBuilder("iptables", "-w", "-t", table, "-S").redirectErrorStream(true).start();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).doesNotContain("BERTH");
        }
    }

    private static List<String> links() throws Exception {
        try (var s = Files.list(Path.of("/sys/class/net"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test @Order(1)
    void defaultBridgeContainersPingEachOtherByIp() {
        ok("run", "-d", "--name", "pa", "busybox", "sleep", "60");
        String a = ip("pa");
        assertThat(a).startsWith("10.233.0.");
        String out = ok("run", "--rm", "busybox", "ping", "-c", "1", "-W", "2", a);
        assertThat(out).contains("1 packets received");
        assertThat(ok("inspect", "-f", "{{.NetworkSettings.MacAddress}} {{.NetworkSettings.Gateway}}", "pa"))
                .matches("02:42:0a:e9:00:[0-9a-f]{2} 10\\.233\\.0\\.1");
        ok("rm", "-f", "pa");
        assertThat(ok("run", "--rm", "--mac-address", "02:42:aa:bb:cc:de", "busybox", "cat", "/sys/class/net/eth0/address"))
                .as("--mac-address on the default bridge").contains("02:42:aa:bb:cc:de");
    }

    @Test @Order(2)
    void userNetworkResolvesNamesAndAliases() {
        ok("network", "create", "--subnet", "10.234.0.0/24", "-o", "com.docker.network.bridge.name=berth-it1", "--label", "t=1", "itnet");
        ok("run", "-d", "--name", "ua", "--network", "itnet", "--network-alias", "alias1", "busybox", "sleep", "60");
        String out = ok("run", "--rm", "--network", "itnet", "busybox", "sh", "-c",
                "ping -c1 -W2 ua && ping -c1 -W2 alias1 && cat /etc/resolv.conf");
        assertThat(out).contains("nameserver 127.0.0.11").contains("1 packets received");
        assertThat(ok("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}", "itnet"))
                .isEqualTo("ua 10.234.0.2/24");
        assertThat(ok("network", "ls", "--filter", "label=t=1", "--format", "{{.Name}}")).isEqualTo("itnet");
        Result rm = daemon.docker().run("network", "rm", "itnet");
        assertThat(rm.exit()).isNotZero();
        assertThat(rm.err()).contains("has active endpoints");
        ok("rm", "-f", "ua");
        ok("network", "rm", "itnet");
    }

    @Test @Order(3)
    void publishedPortAnswersOnLoopback() throws Exception {
        ok("run", "-d", "--name", "web", "-p", "127.0.0.1:18234:80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc");
        assertThat(ok("port", "web")).isEqualTo("80/tcp -> 127.0.0.1:18234");
        String body = null;
        for (int i = 0; i < 50 && body == null; i++) {
            try (Socket s = new Socket("127.0.0.1", 18234)) {
                s.getOutputStream().write("GET /hostname HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                try (InputStream in = s.getInputStream()) {
                    String r = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                    if (r.startsWith("HTTP/1.")) body = r;
                }
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        assertThat(body).startsWith("HTTP/1.1 200");
        Result taken = daemon.docker().run("run", "-d", "--name", "web2", "-p", "127.0.0.1:18234:80", "busybox", "sleep", "5");
        assertThat(taken.exit()).isNotZero();
        assertThat(taken.err()).contains("port is already allocated");
        ok("rm", "-f", "web", "web2");
    }

    @Test @Order(4)
    void noneHostAndContainerModes() throws Exception {
        assertThat(ok("run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net")).isEqualTo("lo");
        Set<String> host = new HashSet<>(links());
        Set<String> inHost = new HashSet<>(List.of(ok("run", "--rm", "--network", "host", "busybox", "ls", "/sys/class/net").split("\\s+")));
        assertThat(inHost).containsAll(host.stream().filter(l -> !l.startsWith("veth")).toList());
        ok("run", "-d", "--name", "cm", "busybox", "sleep", "60");
        String joined = ok("run", "--rm", "--network", "container:cm", "busybox", "ip", "-o", "-4", "addr");
        assertThat(joined).contains(ip("cm"));
        ok("rm", "-f", "cm");
    }

    @Test @Order(5)
    void connectDisconnectAndIsolation() throws Exception {
        ok("network", "create", "--subnet", "10.235.0.0/24", "-o", "com.docker.network.bridge.name=berth-it2", "n2");
        ok("run", "-d", "--name", "cd", "busybox", "sleep", "60");
        ok("run", "-d", "--name", "other", "--network", "n2", "busybox", "sleep", "60");
        String other = ip("other");
        assertThat(daemon.docker().run("run", "--rm", "--network", "container:cd", "busybox", "ping", "-c1", "-W1", other).out()).contains("0 packets received");
        ok("network", "connect", "--ip", "10.235.0.100", "n2", "cd");
        assertThat(ok("run", "--rm", "--network", "container:cd", "busybox", "ls", "/sys/class/net")).contains("eth1");
        assertThat(ok("run", "--rm", "--network", "container:cd", "busybox", "ping", "-c1", "-W2", other)).contains("1 packets received");
        ok("network", "disconnect", "n2", "cd");
        assertThat(ok("run", "--rm", "--network", "container:cd", "busybox", "ls", "/sys/class/net")).doesNotContain("eth1");
        ok("rm", "-f", "cd", "other");
        ok("network", "rm", "n2");
    }

    @Test @Order(6)
    void thirtyContainersGetDistinctAddresses() {
        ok("network", "create", "--subnet", "10.236.0.0/24", "-o", "com.docker.network.bridge.name=berth-it3", "n30");
        Set<String> ips = new HashSet<>();
        for (int i = 0; i < 30; i++) ok("run", "-d", "--name", "m" + i, "--network", "n30", "busybox", "sleep", "60");
        for (int i = 0; i < 30; i++) ips.add(ip("m" + i));
        assertThat(ips).hasSize(30);
        for (int i = 0; i < 30; i++) ok("rm", "-f", "m" + i);
        ok("network", "rm", "n30");
    }

    /**
     * docker-py's network tests: a name with a space (moby checks none), auxiliary addresses kept and never handed out,
     * an endpoint's link-local address (on the interface) and driver options.
     */
    @Test @Order(7)
    void namesWithSpacesAndAuxiliaryAddresses() {
        ok("network", "create", "--subnet", "10.237.0.0/24", "--aux-address", "a=10.237.0.2", "-o",
                "com.docker.network.bridge.name=berth-it4", "my net");
        assertThat(ok("network", "inspect", "-f", "{{json .IPAM.Config}}", "my net"))
                .isEqualTo("[{\"Subnet\":\"10.237.0.0/24\",\"Gateway\":\"10.237.0.1\",\"AuxiliaryAddresses\":{\"a\":\"10.237.0.2\"}}]");
        ok("run", "-d", "--name", "aux1", "--network", "my net", "busybox", "sleep", "60");
        assertThat(ip("aux1")).isEqualTo("10.237.0.3");

        ok("create", "--name", "ll", "busybox", "sleep", "60");
        ok("network", "connect", "--link-local-ip", "169.254.8.8", "--driver-opt", "k=v", "my net", "ll");
        assertThat(ok("inspect", "-f", "{{json (index .NetworkSettings.Networks \"my net\").IPAMConfig.LinkLocalIPs}} "
                + "{{json (index .NetworkSettings.Networks \"my net\").DriverOpts}}", "ll")).isEqualTo("[\"169.254.8.8\"] {\"k\":\"v\"}");
        ok("start", "ll");
        assertThat(ok("exec", "ll", "ip", "-4", "addr", "show", "eth1")).contains("inet 169.254.8.8/16", "inet 10.237.0.");
        ok("rm", "-f", "aux1", "ll");
        ok("network", "rm", "my net");
    }

    /**
     * Issue 12: a removal answers before its veth is deleted, yet its name, published port and address are free at once
     * (a /29 has five addresses for containers: eight runs in a row take addresses removed containers had just before,
     * and {@code --ip} one a removed container had); a daemon killed right after a removal deletes what its clean-up had
     * yet to at its next start.
     */
    @Test @Order(8)
    void aRemovalFreesNamePortAndAddressAtOnceAndItsVethFollows() throws Exception {
        ok("network", "create", "--subnet", "10.239.0.0/29", "-o", "com.docker.network.bridge.name=berth-it5", "tiny");
        for (int i = 0; i < 8; i++) {
            assertThat(ok("run", "--rm", "--name", "again", "--network", "tiny", "-p", "127.0.0.1:18239:80", "busybox",
                    "ip", "-o", "-4", "addr", "show", "eth0")).contains("inet 10.239.0.");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(ok("run", "--rm", "--network", "tiny", "--ip", "10.239.0.2", "busybox", "ip", "-o", "-4", "addr", "show", "eth0"))
                    .contains("inet 10.239.0.2/29");
        }
        ok("run", "-d", "--name", "gone", "--network", "tiny", "busybox", "sleep", "60");
        ok("rm", "-f", "gone");
        assertThat(ok("network", "inspect", "-f", "{{len .Containers}}", "tiny")).isEqualTo("0");
        daemon.kill9(); // perhaps before the removal's clean-up deleted the veth
        daemon.restart();
        try (var ports = Files.list(Path.of("/sys/class/net/berth-it5/brif"))) {
            assertThat(ports.toList()).as("veths left on the bridge").isEmpty();
        }
        Path netns = daemon.execRoot().resolve("netns");
        if (Files.isDirectory(netns)) try (var s = Files.list(netns)) { assertThat(s.toList()).isEmpty(); }
        ok("network", "rm", "tiny");
    }
}
