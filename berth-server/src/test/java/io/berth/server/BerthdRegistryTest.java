package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.engine.events.EventBus;
import io.berth.server.api.Backends;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berthd with {@code --registry-addr}: the registry on a listener of its own, stopped with berthd. */
class BerthdRegistryTest {
    @TempDir Path dir;

    @Test void servesTheRegistryBesideTheApiAndStopsIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = Files.writeString(dir.resolve("daemon.json"), "{\"registry-addr\":\"127.0.0.1:" + port + "\"}");
        DaemonConfig config = DaemonConfig.load(new String[] {"-H", "unix://" + dir.resolve("run/berth.sock"),
                "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("run").toString(),
                "--config-file", conf.toString()});
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest base = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/")).build();
        try (Berthd d = Berthd.start(config, Backends.basic(new Fakes.System(), new EventBus(), new Fakes.Images(), Fakes.noContainers()), () -> { })) {
            HttpResponse<String> r = client.send(base, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Docker-Distribution-Api-Version")).hasValue("registry/2.0");
            assertThat(dir.resolve("data/registry/blobs")).isDirectory();
        }
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(base, HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
    }
}
