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
                false, false, false, Map.of(), Map.of("com.docker.network.bridge.name", "berth-nc1"), "berth-nc1", 1500, Map.of(), null);
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
}
