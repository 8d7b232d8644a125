package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Network records survive a daemon restart (written, then read by a new store) unchanged. No root. */
class NetworkStoreTest {
    @TempDir Path dir;

    @Test
    void aRecordReadBackKeepsItsBridgeName() throws IOException {
        Network n = new Network("a".repeat(64), "ncnet", "bridge", "2026-01-01T00:00:00Z", "10.247.0.0/24", "10.247.0.1", "",
                false, false, false, Map.of(), Map.of("com.docker.network.bridge.name", "berth-nc1"), "berth-nc1", 1500, Map.of(), null, false, null);
        new NetworkStore(dir).save(n);
        NetworkStore reread = new NetworkStore(dir);
        reread.load();
        assertThat(reread.byName("ncnet")).isEqualTo(n);
    }

    @Test
    void aRecordWrittenWithTheBooleanOverTheBridgeNameGetsItsNameBack() throws IOException {
        String id = "b".repeat(64);
        java.nio.file.Files.writeString(dir.resolve(id + ".json"), "{\"id\":\"" + id + "\",\"name\":\"old\",\"driver\":\"bridge\","
                + "\"subnet\":\"10.9.0.0/24\",\"gateway\":\"10.9.0.1\",\"options\":{},\"bridge\":true,\"mtu\":1500}");
        NetworkStore store = new NetworkStore(dir);
        store.load();
        assertThat(store.byName("old").bridge()).isEqualTo("br-bbbbbbbbbbbb");
    }

    @Test
    void anIpv6NetworkReadsBackAndARecordFromBeforeIpv6HasNone() throws IOException {
        Network n = new Network("c".repeat(64), "v6net", "bridge", "2026-01-01T00:00:00Z", "10.246.0.0/24", "10.246.0.1", "",
                false, false, false, Map.of(), Map.of(), "berth-v6", 1500, Map.of(), null, true,
                new Ipv6Pool("2001:db8:1::/64", "2001:db8:1::1", ""));
        new NetworkStore(dir).save(n);
        String id = "d".repeat(64);
        java.nio.file.Files.writeString(dir.resolve(id + ".json"), "{\"id\":\"" + id + "\",\"name\":\"old\",\"driver\":\"bridge\","
                + "\"subnet\":\"10.9.0.0/24\",\"gateway\":\"10.9.0.1\",\"options\":{},\"bridge\":\"br-old\",\"mtu\":1500}");
        java.nio.file.Files.createDirectories(dir.resolve("containers"));
        java.nio.file.Files.writeString(dir.resolve("containers").resolve("e".repeat(64) + ".json"), "{\"containerId\":\"" + "e".repeat(64)
                + "\",\"mode\":\"old\",\"endpoints\":[{\"networkId\":\"" + id + "\",\"ip\":\"10.9.0.2\"}],\"netns\":\"\"}");
        NetworkStore reread = new NetworkStore(dir);
        reread.load();
        assertThat(reread.byName("v6net")).isEqualTo(n);
        assertThat(reread.byName("old").enableIpv6()).isFalse();
        assertThat(reread.byName("old").ipv6()).isNull();
        Endpoint e = reread.attachment("e".repeat(64)).endpoints().getFirst();
        assertThat(e.ip6()).isEmpty();
        assertThat(e.requestedIp6()).isEmpty();
    }
}
