package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.api.container.HostConfig;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.container.Container;
import io.berth.engine.container.ContainerLookup;
import io.berth.engine.container.ContainerState;
import io.berth.engine.container.NetworkHooks;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire JSON of networks, a container's NetworkSettings and its ps Ports is exactly what the
 * map-building code before the typed records produced (captured from it, byte for byte). No root.
 */
class NetworkViewsJsonTest {
    private static final String USER_ID = "u".repeat(64);
    private static final String C1 = "c".repeat(64);
    private static final String C2 = "d".repeat(64);

    @TempDir java.nio.file.Path tmp;
    private NetworkStore store;
    private NetworkViews views;
    private Container web;
    private Container idle;

    @BeforeEach
    void records() throws Exception {
        store = new NetworkStore(tmp);
        store.load();
        Map<String, String> bridgeOptions = new TreeMap<>(Map.of("com.docker.network.bridge.default_bridge", "true",
                "com.docker.network.bridge.name", "berth0", "com.docker.network.driver.mtu", "1500"));
        Network bridge = new Network("b".repeat(64), "bridge", "bridge", "2026-01-01T00:00:00Z", "172.17.0.0/16", "172.17.0.1", "",
                false, false, true, Map.of(), bridgeOptions, "berth0", 1500, Map.of(), null, false, null);
        Network user = new Network(USER_ID, "net1", "bridge", "2026-01-02T00:00:00Z", "10.9.0.0/16", "10.9.0.1", "10.9.1.0/24",
                true, true, false, Map.of("k", "v"), Map.of("com.docker.network.bridge.name", "br-test"), "br-test", 1500, Map.of(), Map.of(), false, null);
        Network plain = new Network("p".repeat(64), "net2", "bridge", "2026-01-03T00:00:00Z", "10.8.0.0/16", "10.8.0.1", "",
                false, false, false, Map.of(), Map.of(), "br-p", 1500, Map.of(), Map.of(), false, null);
        Network host = new Network("h".repeat(64), "host", "host", "2026-01-01T00:00:00Z", "", "", "", false, false, true,
                Map.of(), Map.of(), "", 0, Map.of(), null, false, null);
        for (Network n : List.of(bridge, user, plain, host)) store.save(n);
        Map<String, Map<String, Object>> exposed = new LinkedHashMap<>();
        exposed.put("80/tcp", Map.of());
        exposed.put("53/udp", Map.of());
        exposed.put("9000", Map.of());
        ContainerConfig cfg = new ContainerConfig("host1", "", "", false, false, false, exposed, false, false, false, List.of(),
                List.of(), null, null, "busybox", null, "", null, null, null, null, Map.of(), null, null, null);
        HostConfig.Builder hb = HostConfig.builder();
        hb.networkMode = "net1";
        web = new Container(C1, "web", Instant.parse("2026-01-04T00:00:00Z"), "sh", List.of(), cfg, hb.build(), "sha256:x", "busybox",
                List.of(), ContainerState.created().running(C1, 42, Instant.now()));
        idle = new Container(C2, "idle", Instant.parse("2026-01-04T00:00:00Z"), "sh", List.of(), cfg, HostConfig.builder().build(),
                "sha256:x", "busybox", List.of(), ContainerState.created());
        Endpoint onUser = Endpoint.requested(USER_ID, List.of("a1", "a2"), List.of(), "10.9.1.7", "")
                .up("e".repeat(64), "10.9.1.7", "02:42:0a:09:01:07", "vethx", "eth0");
        Endpoint onPlain = Endpoint.requested(plain.id(), List.of(), List.of(), "", "")
                .up("f".repeat(64), "10.8.0.2", "02:42:0a:08:00:02", "vethy", "eth1");
        Endpoint onBridge = Endpoint.requested(bridge.id(), List.of(), List.of(), "", "");
        store.put(new ContainerNet(C1, "net1", List.of(onUser, onPlain, onBridge), "/run/berth/netns/" + C1,
                List.of(new PortMapping("tcp", 80, "0.0.0.0", 8080, "10.9.1.7"), new PortMapping("tcp", 80, "127.0.0.1", 8081, "10.9.1.7"),
                        new PortMapping("udp", 53, "0.0.0.0", 5353, "10.9.1.7"))));
        store.put(new ContainerNet(C2, "default", List.of(onBridge), "", List.of()));
        views = new NetworkViews(store, new Lookup(Map.of(C1, web, C2, idle)));
    }

    @Test
    void networkResources() throws Exception {
        assertThat(json(views.render(store.require("net1"), true))).isEqualTo(INSPECT_USER);
        assertThat(json(views.render(store.require("bridge"), true))).isEqualTo(INSPECT_BRIDGE);
        assertThat(json(views.render(store.require("host"), true))).isEqualTo(INSPECT_HOST);
        assertThat(json(List.of(views.render(store.require("net2"), false)))).isEqualTo(LIST_NET2);
    }

    @Test
    void containerNetworkSettingsAndPorts() throws Exception {
        assertThat(json(views.settings(web))).isEqualTo(SETTINGS);
        assertThat(json(views.settings(idle))).isEqualTo(SETTINGS_IDLE);
        assertThat(json(views.ports(web))).isEqualTo(PORTS);
        assertThat(json(views.ports(idle))).isEqualTo(PORTS_IDLE);
    }

    /** docker-py's endpoint tests: link-local addresses, driver options, and the MAC asked for before the container runs. */
    @Test
    void endpointConfigurationIsShown() throws Exception {
        Endpoint asked = Endpoint.requested(store.require("net2").id(), List.of(), List.of(), "", "02:42:ac:11:00:02", List.of("169.254.8.8"),
                Map.of("com.docker-py.setting", "on"), "");
        store.put(new ContainerNet(C2, "net2", List.of(asked), "", List.of()));
        JsonNode net = Json.wire().readTree(json(views.settings(idle))).path("Networks").path("net2");
        assertThat(net.path("IPAMConfig").path("LinkLocalIPs").toString()).isEqualTo("[\"169.254.8.8\"]");
        assertThat(net.path("DriverOpts").toString()).isEqualTo("{\"com.docker-py.setting\":\"on\"}");
        assertThat(net.path("MacAddress").asText()).isEqualTo("02:42:ac:11:00:02");
        Endpoint up = asked.up("g".repeat(64), "10.8.0.3", "02:42:ac:11:00:02", "vethz", "eth0");
        assertThat(up.down()).isEqualTo(asked);
    }

    /** An IPv6 network: EnableIPv6 and both pools in the resource, the endpoint's IPv6 address, prefix and gateway in inspect. */
    @Test
    void ipv6NetworkAndEndpoint() throws Exception {
        Network v6 = new Network("v".repeat(64), "net6", "bridge", "2026-01-05T00:00:00Z", "10.7.0.0/16", "10.7.0.1", "", false, false,
                false, Map.of(), Map.of(), "br-v6", 1500, Map.of(), null, true, new Ipv6Pool("2001:389::/64", "2001:389::ffff", "2001:389::/96"));
        store.save(v6);
        Endpoint asked = Endpoint.requested(v6.id(), List.of(), List.of(), "", "", List.of(), Map.of(), "2001:389::f00d");
        store.put(new ContainerNet(C1, "net6", List.of(asked.up("i".repeat(64), "10.7.0.2", "02:42:0a:07:00:02", "vethv", "eth0",
                "2001:389::f00d")), "/run/berth/netns/" + C1, List.of()));
        JsonNode net = Json.wire().readTree(json(views.render(v6, true)));
        assertThat(net.path("EnableIPv6").asBoolean()).isTrue();
        assertThat(net.path("IPAM").path("Config").toString()).isEqualTo("[{\"Subnet\":\"10.7.0.0/16\",\"Gateway\":\"10.7.0.1\"},"
                + "{\"Subnet\":\"2001:389::/64\",\"IPRange\":\"2001:389::/96\",\"Gateway\":\"2001:389::ffff\"}]");
        assertThat(net.path("Containers").path(C1).path("IPv6Address").asText()).isEqualTo("2001:389::f00d/64");
        JsonNode settings = Json.wire().readTree(json(views.settings(web)));
        assertThat(settings.path("GlobalIPv6Address").asText()).isEqualTo("2001:389::f00d");
        assertThat(settings.path("GlobalIPv6PrefixLen").asInt()).isEqualTo(64);
        assertThat(settings.path("IPv6Gateway").asText()).isEqualTo("2001:389::ffff");
        JsonNode ep = settings.path("Networks").path("net6");
        assertThat(ep.path("IPAMConfig").toString()).isEqualTo("{\"IPv4Address\":\"\",\"IPv6Address\":\"2001:389::f00d\"}");
        assertThat(ep.path("GlobalIPv6Address").asText()).isEqualTo("2001:389::f00d");
        assertThat(ep.path("GlobalIPv6PrefixLen").asInt()).isEqualTo(64);
        assertThat(ep.path("IPv6Gateway").asText()).isEqualTo("2001:389::ffff");
        assertThat(json(views.render(store.require("net2"), false))).as("IPv4-only networks unchanged").contains("\"EnableIPv6\":false");
    }

    @Test
    void createAndPruneAnswers() throws Exception {
        assertThat(json(new io.berth.api.network.NetworkCreateResponse("abc", ""))).isEqualTo("{\"Id\":\"abc\",\"Warning\":\"\"}");
        assertThat(json(new io.berth.api.network.NetworkPruneReport(List.of("n1", "n2")))).isEqualTo("{\"NetworksDeleted\":[\"n1\",\"n2\"]}");
    }

    /** Without networking the settings keep the same keys and values (only used by engines built without networks). */
    @Test
    void settingsWithoutNetworking() throws Exception {
        JsonNode got = Json.wire().readTree(json(NetworkHooks.NONE.settings(web)));
        assertThat(got).isEqualTo(Json.wire().readTree(FALLBACK));
        Container inShared = idle.withHostConfig(hostConfig("container:x"));
        assertThat(json(NetworkHooks.NONE.settings(inShared))).isEqualTo(FALLBACK_SHARED);
    }

    private static HostConfig hostConfig(String mode) {
        HostConfig.Builder hb = HostConfig.builder();
        hb.networkMode = mode;
        return hb.build();
    }

    private static String json(Object o) throws Exception { return Json.wire().writeValueAsString(o); }

    private record Lookup(Map<String, Container> all) implements ContainerLookup {
        @Override public Optional<Container> get(String id) { return Optional.ofNullable(all.get(id)); }

        @Override public Container require(String ref) {
            return get(ref).orElseThrow(() -> new NoSuchElementException(ref));
        }

        @Override public <T> T locked(String id, Supplier<T> body) { return body.get(); }
    }

    private static final String INSPECT_USER = "{\"Name\":\"net1\",\"Id\":\"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\",\"Created\":\"2026-01-02T0"
                + "0:00:00Z\",\"Scope\":\"local\",\"Driver\":\"bridge\",\"EnableIPv4\":true,\"EnableIPv6\":false,\"IPAM\":{\"Driver\":\"default\",\"O"
                + "ptions\":{},\"Config\":[{\"Subnet\":\"10.9.0.0/16\",\"IPRange\":\"10.9.1.0/24\",\"Gateway\":\"10.9.0.1\"}]},\"Internal\":true,\""
                + "Attachable\":true,\"Ingress\":false,\"ConfigFrom\":{\"Network\":\"\"},\"ConfigOnly\":false,\"Containers\":{\"ccccccccccccccc"
                + "ccccccccccccccccccccccccccccccccccccccccccccccccc\":{\"Name\":\"web\",\"EndpointID\":\"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
                + "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\",\"MacAddress\":\"02:42:0a:09:01:07\",\"IPv4Address\":\"10.9.1.7/16\",\"IPv6Address\":"
                + "\"\"}},\"Options\":{\"com.docker.network.bridge.name\":\"br-test\"},\"Labels\":{\"k\":\"v\"}}";

    private static final String INSPECT_BRIDGE = "{\"Name\":\"bridge\",\"Id\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"Created\":\"2026-01-01"
                + "T00:00:00Z\",\"Scope\":\"local\",\"Driver\":\"bridge\",\"EnableIPv4\":true,\"EnableIPv6\":false,\"IPAM\":{\"Driver\":\"default\","
                + "\"Options\":null,\"Config\":[{\"Subnet\":\"172.17.0.0/16\",\"Gateway\":\"172.17.0.1\"}]},\"Internal\":false,\"Attachable\":fal"
                + "se,\"Ingress\":false,\"ConfigFrom\":{\"Network\":\"\"},\"ConfigOnly\":false,\"Containers\":{},\"Options\":{\"com.docker.netwo"
                + "rk.bridge.default_bridge\":\"true\",\"com.docker.network.bridge.name\":\"berth0\",\"com.docker.network.driver.mtu\":\"15"
                + "00\"},\"Labels\":{}}";

    private static final String INSPECT_HOST = "{\"Name\":\"host\",\"Id\":\"hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh\",\"Created\":\"2026-01-01T0"
                + "0:00:00Z\",\"Scope\":\"local\",\"Driver\":\"host\",\"EnableIPv4\":true,\"EnableIPv6\":false,\"IPAM\":{\"Driver\":\"default\",\"Opt"
                + "ions\":null,\"Config\":[]},\"Internal\":false,\"Attachable\":false,\"Ingress\":false,\"ConfigFrom\":{\"Network\":\"\"},\"Confi"
                + "gOnly\":false,\"Containers\":{},\"Options\":{},\"Labels\":{}}";

    private static final String LIST_NET2 = "[{\"Name\":\"net2\",\"Id\":\"pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\",\"Created\":\"2026-01-03T"
                + "00:00:00Z\",\"Scope\":\"local\",\"Driver\":\"bridge\",\"EnableIPv4\":true,\"EnableIPv6\":false,\"IPAM\":{\"Driver\":\"default\",\""
                + "Options\":{},\"Config\":[{\"Subnet\":\"10.8.0.0/16\",\"Gateway\":\"10.8.0.1\"}]},\"Internal\":false,\"Attachable\":false,\"Ing"
                + "ress\":false,\"ConfigFrom\":{\"Network\":\"\"},\"ConfigOnly\":false,\"Containers\":{},\"Options\":{},\"Labels\":{}}]";

    private static final String SETTINGS = "{\"Bridge\":\"\",\"SandboxID\":\"52b6419d27bd7f547cee3b92f8c17a908b8a49601ecbec161e5030de1dfe9e0a\",\"SandboxKey\":\"/run"
                + "/berth/netns/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\",\"Ports\":{\"53/udp\":[{\"HostIp\":\"0"
                + ".0.0.0\",\"HostPort\":\"5353\"}],\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"},{\"HostIp\":\"127.0.0.1\",\"HostPort\":"
                + "\"8081\"}],\"9000/tcp\":null},\"HairpinMode\":false,\"LinkLocalIPv6Address\":\"\",\"LinkLocalIPv6PrefixLen\":0,\"SecondaryI"
                + "PAddresses\":null,\"SecondaryIPv6Addresses\":null,\"EndpointID\":\"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
                + "eeeeeeeeeeeeeee\",\"Gateway\":\"10.9.0.1\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"IPAddress\":\"10.9.1.7\",\"I"
                + "PPrefixLen\":16,\"IPv6Gateway\":\"\",\"MacAddress\":\"02:42:0a:09:01:07\",\"Networks\":{\"net1\":{\"IPAMConfig\":{\"IPv4Addres"
                + "s\":\"10.9.1.7\"},\"Links\":null,\"Aliases\":[\"a1\",\"a2\"],\"MacAddress\":\"02:42:0a:09:01:07\",\"DriverOpts\":null,\"GwPriori"
                + "ty\":0,\"NetworkID\":\"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\",\"EndpointID\":\"eeeeeeeeeee"
                + "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\",\"Gateway\":\"10.9.0.1\",\"IPAddress\":\"10.9.1.7\",\"IPPrefixLe"
                + "n\":16,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"DNSNames\":[\"web\",\"a1\",\"a2\",\"ccccccccccc"
                + "c\"]},\"net2\":{\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,\"MacAddress\":\"02:42:0a:08:00:02\",\"DriverOpts\":null,"
                + "\"GwPriority\":0,\"NetworkID\":\"pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\",\"EndpointID\":\"ff"
                + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\",\"Gateway\":\"10.8.0.1\",\"IPAddress\":\"10.8.0.2\",\"I"
                + "PPrefixLen\":16,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"DNSNames\":[\"web\",\"cccccccccccc"
                + "\"]},\"bridge\":{\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,\"MacAddress\":\"\",\"DriverOpts\":null,\"GwPriority\":0,\""
                + "NetworkID\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"EndpointID\":\"\",\"Gateway\":\"\",\"IP"
                + "Address\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}}}";

    private static final String SETTINGS_IDLE = "{\"Bridge\":\"\",\"SandboxID\":\"\",\"SandboxKey\":\"\",\"Ports\":{\"53/udp\":null,\"80/tcp\":null,\"9000/tcp\":null},\"HairpinMode"
                + "\":false,\"LinkLocalIPv6Address\":\"\",\"LinkLocalIPv6PrefixLen\":0,\"SecondaryIPAddresses\":null,\"SecondaryIPv6Address"
                + "es\":null,\"EndpointID\":\"\",\"Gateway\":\"\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"IPAddress\":\"\",\"IPPrefixL"
                + "en\":0,\"IPv6Gateway\":\"\",\"MacAddress\":\"\",\"Networks\":{\"bridge\":{\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,\"Ma"
                + "cAddress\":\"\",\"DriverOpts\":null,\"GwPriority\":0,\"NetworkID\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
                + "bbbbbbbbbbbbb\",\"EndpointID\":\"\",\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"GlobalIPv6Address"
                + "\":\"\",\"GlobalIPv6PrefixLen\":0,\"DNSNames\":null}}}";

    private static final String PORTS = "[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"},{\"IP\":\"127.0.0.1\",\"PrivatePort\":80,\"PublicPo"
                + "rt\":8081,\"Type\":\"tcp\"},{\"IP\":\"0.0.0.0\",\"PrivatePort\":53,\"PublicPort\":5353,\"Type\":\"udp\"},{\"PrivatePort\":9000,\"T"
                + "ype\":\"tcp\"}]";

    private static final String PORTS_IDLE = "[{\"PrivatePort\":80,\"Type\":\"tcp\"},{\"PrivatePort\":53,\"Type\":\"udp\"},{\"PrivatePort\":9000,\"Type\":\"tcp\"}]";

    private static final String FALLBACK = "{\"Bridge\":\"\",\"SandboxID\":\"\",\"SandboxKey\":\"/proc/42/ns/net\",\"Ports\":{},\"HairpinMode\":false,\"LinkLocalIPv6Addres"
                + "s\":\"\",\"LinkLocalIPv6PrefixLen\":0,\"SecondaryIPAddresses\":null,\"SecondaryIPv6Addresses\":null,\"EndpointID\":\"\",\"Ga"
                + "teway\":\"\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"MacA"
                + "ddress\":\"\",\"Networks\":{\"net1\":{\"IPAMConfig\":null,\"Links\":null,\"Aliases\":null,\"MacAddress\":\"\",\"NetworkID\":\"\",\"E"
                + "ndpointID\":\"\",\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6P"
                + "refixLen\":0,\"DriverOpts\":null,\"DNSNames\":null}}}";

    private static final String FALLBACK_SHARED = "{\"Bridge\":\"\",\"SandboxID\":\"\",\"SandboxKey\":\"\",\"Ports\":{},\"HairpinMode\":false,\"LinkLocalIPv6Address\":\"\",\"LinkLoca"
                + "lIPv6PrefixLen\":0,\"SecondaryIPAddresses\":null,\"SecondaryIPv6Addresses\":null,\"EndpointID\":\"\",\"Gateway\":\"\",\"Glob"
                + "alIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0,\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"MacAddress\":\"\",\"Net"
                + "works\":{}}";
}
