package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.berth.api.JsonMessage;
import io.berth.api.image.ImageSummary;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BerthClientTest {
    @Test
    void negotiatesVersionAndDecodesJson() throws Exception {
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.json(200,
                "[{\"Id\":\"sha256:abc\",\"RepoTags\":[\"busybox:latest\"],\"Created\":1,\"Size\":42,\"Containers\":-1}]"))) {
            d.apiVersion = "1.45";
            BerthClient c = new BerthClient(DaemonHost.parse(d.host()));
            List<ImageSummary> images = c.get("/images/json", BerthClient.Query.of().flag("all", true), new TypeReference<>() {});
            assertThat(images).singleElement().satisfies(i -> {
                assertThat(i.id()).isEqualTo("sha256:abc");
                assertThat(i.repoTags()).containsExactly("busybox:latest");
                assertThat(i.size()).isEqualTo(42);
            });
            assertThat(d.requests.getLast().target()).isEqualTo("/v1.45/images/json?all=1");
        }
    }

    @Test
    void capsVersionAt147() throws Exception {
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.json(200, "{}"))) {
            d.apiVersion = "1.50";
            BerthClient c = new BerthClient(DaemonHost.parse(d.host()));
            assertThat(c.apiVersion().toString()).isEqualTo("1.47");
        }
    }

    @Test
    void errorsCarryStatusAndMessage() throws Exception {
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.json(404, "{\"message\":\"No such image: foo:latest\"}"))) {
            BerthClient c = new BerthClient(DaemonHost.parse(d.host()));
            assertThatThrownBy(() -> c.raw("GET", "/images/foo/json", null))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.displayMessage()).isEqualTo("Error response from daemon: No such image: foo:latest");
                    });
        }
    }

    @Test
    void streamsChunkedJsonMessagesAndSendsChunkedBodies() throws Exception {
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.chunked("application/json",
                "{\"stream\":\"Loaded image: a:1\\n\"}\n{\"str", "eam\":\"Loaded image: b:2\\n\"}\r\n"))) {
            BerthClient c = new BerthClient(DaemonHost.parse(d.host()));
            byte[] tar = "x".repeat(200_000).getBytes(StandardCharsets.UTF_8);
            HttpResponse r = c.call("POST", "/images/load", null, Map.of("Content-Type", "application/x-tar"), new ByteArrayInputStream(tar));
            List<String> got = new ArrayList<>();
            c.jsonLines(r, JsonMessage.class, m -> got.add(m.stream()));
            assertThat(got).containsExactly("Loaded image: a:1\n", "Loaded image: b:2\n");
            assertThat(d.requests.getLast().body()).hasSize(200_000);
            assertThat(d.requests.getLast().headers()).containsEntry("Content-Type", "application/x-tar");
        }
    }

    @Test
    void missingSocketIsDaemonUnavailable() {
        BerthClient c = new BerthClient(DaemonHost.parse("unix:///nonexistent/x.sock"));
        assertThatThrownBy(c::apiVersion).isInstanceOf(DaemonUnavailableException.class)
                .hasMessage("Cannot connect to the Berth daemon at unix:///nonexistent/x.sock. Is the berth daemon running?");
    }

    @Test
    void hostSelectionOrder() {
        assertThat(DaemonHost.select("unix:///a", Map.of("BERTH_HOST", "unix:///b")).uri()).isEqualTo("unix:///a");
        assertThat(DaemonHost.select(null, Map.of("BERTH_HOST", "unix:///b", "DOCKER_HOST", "unix:///c")).uri()).isEqualTo("unix:///b");
        assertThat(DaemonHost.select(null, Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375")).uri()).isEqualTo("tcp://127.0.0.1:2375");
        assertThat(DaemonHost.select(null, Map.of()).uri()).isEqualTo("unix:///run/berth/berth.sock");
    }
}
