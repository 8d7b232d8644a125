package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.container.HostConfig;
import io.berth.api.container.PortBinding;
import io.berth.api.errors.BerthException;
import io.berth.api.image.ContainerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Port keys and the -p/-P forms as the API carries them (PortBindings, PublishAllPorts), down to the mappings to bind. No root. */
class PortSpecsTest {
    private static final String IP = "10.9.0.2";

    @Test
    void portKeys() {
        assertThat(PortSpecs.parse("80")).isEqualTo(new PortSpecs.PortKey("80", "tcp"));
        assertThat(PortSpecs.parse("80/tcp").key()).isEqualTo("80/tcp");
        assertThat(PortSpecs.parse("53/udp")).isEqualTo(new PortSpecs.PortKey("53", "udp"));
        assertThat(PortSpecs.parse("9/SCTP")).isEqualTo(new PortSpecs.PortKey("9", "sctp"));
        assertThat(PortSpecs.parse("65535").number()).isEqualTo(65535);
    }

    @Test
    void badPortKeysAreDockersErrors() {
        assertThatThrownBy(() -> PortSpecs.parse("80/icmp")).isInstanceOf(BerthException.InvalidArgument.class).hasMessage("invalid proto: icmp");
        assertThatThrownBy(() -> PortSpecs.parse("0")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("invalid port specification: \"0\"");
        assertThatThrownBy(() -> PortSpecs.parse("70000/udp")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("invalid port specification: \"70000\"");
        assertThatThrownBy(() -> PortSpecs.parse("http")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("invalid port specification: \"http\"");
    }

    /** {@code -p 8080:80}: one host port. */
    @Test
    void hostPort() {
        PortRequest m = only(Map.of("80/tcp", List.of(new PortBinding("", "8080"))));
        assertThat(m).isEqualTo(new PortRequest("tcp", 80, "0.0.0.0", 8080, 8080, IP));
    }

    /** Host ports from 32768 up (docker-compose projects publish them) are kept as they are, up to 65535. */
    @Test
    void highHostPorts() {
        assertThat(only(Map.of("80/tcp", List.of(new PortBinding("", "40000")))))
                .isEqualTo(new PortRequest("tcp", 80, "0.0.0.0", 40000, 40000, IP));
        assertThat(only(Map.of("80/tcp", List.of(new PortBinding("", "60000-65535")))))
                .isEqualTo(new PortRequest("tcp", 80, "0.0.0.0", 60000, 65535, IP));
    }

    /** A host port that is not a 16-bit number, or a range that runs backwards: Docker's error. */
    @Test
    void badHostPortsAreRefused() {
        for (String hp : List.of("65536", "-1", "http", "8010-8000", "1-", "123456")) {
            assertThatThrownBy(() -> mappings(Map.of("80/tcp", List.of(new PortBinding("", hp)))))
                    .isInstanceOf(BerthException.InvalidArgument.class)
                    .hasMessage("invalid port specification: \"" + hp + "\"");
        }
    }

    /** {@code -p 80}: an ephemeral host port, also when the binding list is empty or missing. */
    @Test
    void ephemeralHostPort() {
        PortRequest m = only(Map.of("80/tcp", List.of(new PortBinding(null, null))));
        assertThat(m).isEqualTo(new PortRequest("tcp", 80, "0.0.0.0", 0, 0, IP));
        assertThat(only(Map.of("80/tcp", List.of()))).isEqualTo(m);
        Map<String, List<PortBinding>> none = new LinkedHashMap<>();
        none.put("80", null);
        assertThat(only(none)).isEqualTo(m);
    }

    /** {@code -p 8000-8010:80}: the first free port of a range. */
    @Test
    void hostPortRange() {
        PortRequest m = only(Map.of("80/tcp", List.of(new PortBinding("", "8000-8010"))));
        assertThat(m.firstHostPort()).isEqualTo(8000);
        assertThat(m.lastHostPort()).isEqualTo(8010);
    }

    /** {@code -p 127.0.0.1:8080:80} and {@code -p 127.0.0.1::80}: bound to one host address. */
    @Test
    void hostAddress() {
        assertThat(only(Map.of("80/tcp", List.of(new PortBinding("127.0.0.1", "8080")))))
                .isEqualTo(new PortRequest("tcp", 80, "127.0.0.1", 8080, 8080, IP));
        assertThat(only(Map.of("80/tcp", List.of(new PortBinding("127.0.0.1", "")))))
                .isEqualTo(new PortRequest("tcp", 80, "127.0.0.1", 0, 0, IP));
    }

    /** {@code -p 5353:53/udp}. */
    @Test
    void udp() {
        assertThat(only(Map.of("53/udp", List.of(new PortBinding("", "5353")))))
                .isEqualTo(new PortRequest("udp", 53, "0.0.0.0", 5353, 5353, IP));
    }

    /** {@code -p 8080:80 -p 8081:80}: several bindings of one port. */
    @Test
    void severalBindingsOfOnePort() {
        List<PortRequest> ms = mappings(Map.of("80/tcp", List.of(new PortBinding("", "8080"), new PortBinding("127.0.0.1", "8081"))));
        assertThat(ms).extracting(PortRequest::hostIp).containsExactly("0.0.0.0", "127.0.0.1");
        assertThat(ms).extracting(PortRequest::firstHostPort).containsExactly(8080, 8081);
    }

    /** IPv6 host addresses and sctp are skipped: the userland proxy is IPv4 tcp/udp. */
    @Test
    void ipv6AndSctpAreSkipped() {
        assertThat(mappings(Map.of("80/tcp", List.of(new PortBinding("::1", "8080"))))).isEmpty();
        assertThat(mappings(Map.of("9/sctp", List.of(new PortBinding("", "9"))))).isEmpty();
    }

    /** A bound mapping (the port the proxy got) is tried as is. */
    @Test
    void boundMappingKeepsItsPort() {
        assertThat(PortRequest.of(new PortMapping("tcp", 80, "0.0.0.0", 40000, IP)))
                .isEqualTo(new PortRequest("tcp", 80, "0.0.0.0", 40000, 40000, IP));
    }

    /** {@code -P}: every exposed port on an ephemeral one, but a port also bound by -p keeps that binding. */
    @Test
    void publishAll() {
        Map<String, Map<String, Object>> exposed = new LinkedHashMap<>();
        exposed.put("80/tcp", Map.of());
        exposed.put("53/udp", Map.of());
        exposed.put("9000", Map.of());
        HostConfig.Builder hb = HostConfig.builder();
        hb.publishAllPorts = true;
        hb.portBindings = Map.of("80", List.of(new PortBinding("", "8080")));
        Map<String, List<PortBinding>> wanted = PortSpecs.wanted(hb.build(), config(exposed));
        assertThat(wanted).containsOnlyKeys("80/tcp", "53/udp", "9000/tcp");
        assertThat(wanted.get("80/tcp")).containsExactly(new PortBinding("", "8080"));
        assertThat(wanted.get("53/udp")).containsExactly(new PortBinding("", ""));
        assertThat(wanted.get("9000/tcp")).containsExactly(new PortBinding("", ""));
        hb.publishAllPorts = false;
        assertThat(PortSpecs.wanted(hb.build(), config(exposed))).containsOnlyKeys("80/tcp");
        assertThat(PortSpecs.wanted(HostConfig.builder().build(), config(exposed))).isEmpty();
    }

    @Test
    void badBindingKeysAreRefused() {
        HostConfig.Builder hb = HostConfig.builder();
        hb.portBindings = Map.of("80/icmp", List.of());
        assertThatThrownBy(() -> PortSpecs.wanted(hb.build(), config(null))).isInstanceOf(BerthException.InvalidArgument.class);
    }

    private static PortRequest only(Map<String, List<PortBinding>> bindings) {
        List<PortRequest> ms = mappings(bindings);
        assertThat(ms).hasSize(1);
        return ms.getFirst();
    }

    private static List<PortRequest> mappings(Map<String, List<PortBinding>> bindings) {
        HostConfig.Builder hb = HostConfig.builder();
        hb.portBindings = bindings;
        return PortSpecs.requests(PortSpecs.wanted(hb.build(), config(null)), IP);
    }

    private static ContainerConfig config(Map<String, Map<String, Object>> exposed) {
        return new ContainerConfig("h", "", "", false, false, false, exposed, false, false, false, List.of(), List.of(),
                null, null, "busybox", null, "", null, null, null, null, Map.of(), null, null, null);
    }
}
