package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, network gaps, through the real docker CLI against berthd on a private default bridge
 * (berth-nc0, 10.246.0.0/24) and a private user network (berth-nc1, 10.247.0.0/24): the embedded DNS
 * on 127.0.0.11 in each container on a user network (also one connected later, and after a daemon
 * restart), its resolv.conf, legacy links, and the networks of stats. Nothing is left at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetCompatIT {
    private static final String BRIDGE = "berth-nc0";

    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().arg("--bridge", BRIDGE, "--bip", "10.246.0.1/24").build();

    @BeforeAll
    static void image() {
        Images.importBusybox(daemon.docker(), "busybox");
        ok("network", "create", "--subnet", "10.247.0.0/24", "-o", "com.docker.network.bridge.name=berth-nc1", "ncnet");
    }

    private static String ok(String... args) { return daemon.docker().ok(args).strip(); }

    private static String ipOn(String c, String net) {
        return ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}", c);
    }

    @AfterAll
    static void nothingLeft() throws Exception {
        Result ps = daemon.docker().run("ps", "-aq");
        if (!ps.out().isBlank()) daemon.docker().run(("rm -f " + ps.out().strip().replace('\n', ' ')).split(" "));
        Result rm = daemon.docker().run("network", "rm", "ncnet");
        assertThat(rm.exit()).as(rm.err()).isZero();
        daemon.stop();
        for (String link : List.of(BRIDGE, "berth-nc1")) assertThat(Path.of("/sys/class/net", link)).doesNotExist();
        Path netns = daemon.execRoot().resolve("netns");
        if (Files.isDirectory(netns)) try (var s = Files.list(netns)) { assertThat(s.toList()).isEmpty(); }
    }

    @Test @Order(1)
    void containerOnAUserNetworkHasTheEmbeddedDnsInItsResolvConf() {
        String conf = ok("run", "--rm", "--network", "ncnet", "--dns-search", "a.test", "busybox", "cat", "/etc/resolv.conf");
        assertThat(conf.lines().toList()).containsExactly("nameserver 127.0.0.11", "search a.test", "options ndots:0");
        String onBridge = ok("run", "--rm", "busybox", "cat", "/etc/resolv.conf");
        assertThat(onBridge).doesNotContain("127.0.0.11");
    }

    @Test @Order(2)
    void containerStartedOnTheBridgeThenConnectedResolvesPeersVia127_0_0_11() {
        ok("run", "-d", "--name", "peer", "--network", "ncnet", "--network-alias", "peeralias", "busybox", "sleep", "300");
        String peerIp = ipOn("peer", "ncnet");
        String peerShort = ok("inspect", "-f", "{{.Id}}", "peer").substring(0, 12);
        ok("run", "-d", "--name", "late", "busybox", "sleep", "300");
        assertThat(ok("exec", "late", "cat", "/etc/resolv.conf")).doesNotContain("127.0.0.11");

        ok("network", "connect", "ncnet", "late");
        assertThat(ok("exec", "late", "cat", "/etc/resolv.conf")).contains("nameserver 127.0.0.11").contains("options ndots:0");
        for (String name : List.of("peer", "peeralias", peerShort, "peer.ncnet")) {
            assertThat(ok("exec", "late", "nslookup", name)).as(name).contains("Server:").contains(peerIp);
        }
        assertThat(ok("exec", "late", "ping", "-c1", "-W2", "peeralias")).contains("1 packets received");
        Result unknown = daemon.docker().run("exec", "late", "nslookup", "-type=a", "nosuchcontainer");
        assertThat(unknown.out() + unknown.err()).doesNotContain(peerIp);

        assertThat(daemon.terminate()).isZero();
        daemon.restart();
        assertThat(ok("exec", "late", "nslookup", "peer")).as("after a daemon restart").contains(peerIp);

        ok("network", "disconnect", "ncnet", "late");
        assertThat(ok("exec", "late", "cat", "/etc/resolv.conf")).doesNotContain("127.0.0.11");
        ok("rm", "-f", "late", "peer");
    }

    @Test @Order(3)
    void legacyLinksGiveEnvironmentAndHostsOnTheDefaultBridge() {
        ok("run", "-d", "--name", "db", "-e", "PGDATA=/data", "--expose", "5432", "busybox", "sleep", "300");
        String dbIp = ipOn("db", "bridge");
        String dbShort = ok("inspect", "-f", "{{.Id}}", "db").substring(0, 12);
        String env = ok("run", "--name", "web1", "--link", "db:database", "busybox", "env");
        assertThat(env.lines().toList()).contains("DATABASE_PORT=tcp://" + dbIp + ":5432",
                "DATABASE_PORT_5432_TCP=tcp://" + dbIp + ":5432", "DATABASE_PORT_5432_TCP_ADDR=" + dbIp,
                "DATABASE_PORT_5432_TCP_PORT=5432", "DATABASE_PORT_5432_TCP_PROTO=tcp", "DATABASE_NAME=/web1/database",
                "DATABASE_ENV_PGDATA=/data");
        assertThat(ok("inspect", "-f", "{{json .HostConfig.Links}}", "web1")).isEqualTo("[\"/db:/web1/database\"]");
        assertThat(ok("inspect", "-f", "{{json .Config.Env}}", "web1")).doesNotContain("DATABASE");

        ok("run", "-d", "--name", "web", "--link", "db", "busybox", "sleep", "300");
        assertThat(ok("exec", "web", "cat", "/etc/hosts").lines().toList()).contains(dbIp + "\tdb " + dbShort);
        assertThat(ok("exec", "web", "ping", "-c1", "-W2", "db")).contains("1 packets received");

        ok("rm", "--link", "web1/database");
        assertThat(ok("inspect", "-f", "{{json .HostConfig.Links}}", "web1")).isEqualTo("null");
        Result again = daemon.docker().run("rm", "--link", "web1/database");
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("No such container: web1/database");
        Result own = daemon.docker().run("rm", "--link", "db");
        assertThat(own.exit()).isNotZero();
        assertThat(own.err()).contains("Conflict, cannot remove the default link name of the container");

        Result unknown = daemon.docker().run("create", "--link", "nosuch:x", "busybox", "true");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("could not get container for nosuch");
        Result host = daemon.docker().run("create", "--network", "host", "--link", "db:x", "busybox", "true");
        assertThat(host.exit()).isNotZero();
        assertThat(host.err()).contains("conflicting options: host type networking can't be used with links");

        ok("rm", "-f", "db");
        assertThat(ok("inspect", "-f", "{{.State.Running}}", "web")).as("removing a linked-to container").isEqualTo("true");
        ok("rm", "-f", "web", "web1");
    }

    @Test @Order(4)
    void onAUserNetworkALinkIsADnsAliasOfTheLinkingContainerOnlyAlsoGivenAtConnect() {
        ok("run", "-d", "--name", "svc", "--network", "ncnet", "busybox", "sleep", "300");
        String svcIp = ipOn("svc", "ncnet");
        assertThat(ok("run", "--rm", "--network", "ncnet", "--link", "svc:backend", "busybox", "nslookup", "backend"))
                .contains(svcIp);
        Result other = daemon.docker().run("run", "--rm", "--network", "ncnet", "busybox", "nslookup", "backend");
        assertThat(other.out()).doesNotContain(svcIp);

        ok("run", "-d", "--name", "cl", "busybox", "sleep", "300");
        ok("network", "connect", "--link", "svc:viaconnect", "ncnet", "cl");
        assertThat(ok("inspect", "-f", "{{json (index .NetworkSettings.Networks \"ncnet\").Links}}", "cl"))
                .isEqualTo("[\"svc:viaconnect\"]");
        assertThat(ok("exec", "cl", "nslookup", "viaconnect")).contains(svcIp);
        ok("rm", "-f", "svc", "cl");
    }

    @Test @Order(5)
    void statsHaveTheNetworksOfTheContainersInterfaces() {
        ok("run", "-d", "--name", "st", "busybox", "sleep", "300");
        ok("network", "connect", "ncnet", "st");
        ok("exec", "st", "ping", "-c1", "-W2", "10.246.0.1");
        String id = ok("inspect", "-f", "{{.Id}}", "st");
        var nets = daemon.http().get("/v1.47/containers/" + id + "/stats?stream=false&one-shot=true").json().get("networks");
        assertThat(nets).isNotNull();
        assertThat(nets.fieldNames()).toIterable().containsExactlyInAnyOrder("eth0", "eth1");
        assertThat(nets.get("eth0").get("rx_packets").asLong()).isPositive();
        assertThat(nets.get("eth0").get("tx_bytes").asLong()).isPositive();
        assertThat(nets.get("eth0").has("rx_dropped")).isTrue();

        ok("run", "-d", "--name", "st-none", "--network", "none", "busybox", "sleep", "300");
        String none = ok("inspect", "-f", "{{.Id}}", "st-none");
        assertThat(daemon.http().get("/v1.47/containers/" + none + "/stats?stream=false&one-shot=true").json().has("networks"))
                .as("--network none").isFalse();
        ok("rm", "-f", "st", "st-none");
    }
}
