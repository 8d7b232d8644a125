package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.LocalRegistry;
import io.berth.it.support.Project;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The registry fixture itself: each kind starts, takes a skopeo seed, enforces its auth, and is gone after close. */
class LocalRegistryIT {
    @Test
    void plainHtpasswdAndTokenRegistriesServeSeededImages() throws Exception {
        for (var kind : new String[] {"plain", "htpasswd", "token"}) {
            LocalRegistry reg = switch (kind) {
                case "plain" -> LocalRegistry.plain();
                case "htpasswd" -> LocalRegistry.htpasswd("alice", "s3cret");
                default -> LocalRegistry.token("alice", "s3cret");
            };
            int port;
            try (reg) {
                port = reg.port();
                reg.seed("docker-archive:" + Project.fixture("layers.docker-archive.tar"), "fixture/layers:v1");
                assertThat(reg.manifestDigest("fixture/layers", "v1")).as(kind).startsWith("sha256:");
                assertThat(reg.tags("fixture/layers")).as(kind).contains("\"v1\"");
                int anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + reg.host() + "/v2/fixture/layers/tags/list")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                assertThat(anonymous).as(kind).isEqualTo(kind.equals("plain") ? 200 : 401);
            }
            try (var s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
                throw new AssertionError(kind + ": registry still listening after close");
            } catch (java.net.ConnectException expected) {
                // stopped
            }
        }
    }
}
