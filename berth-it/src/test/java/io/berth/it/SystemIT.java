package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 2: version, info, ping and error shapes, driven by the real docker CLI and raw HTTP. */
class SystemIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @Test
    void versionShowsServerApi147WithMinimum124() {
        String out = daemon.docker().ok("version");
        assertThat(out).containsPattern("API version:\\s+1\\.47 \\(minimum version 1\\.24\\)");
        String fmt = daemon.docker().ok("version", "--format", "{{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}}/{{.Server.Arch}}");
        assertThat(fmt.strip()).isEqualTo("1.47 1.24 linux/amd64");
    }

    @Test
    void infoShowsOverlay2AndDataRoot() {
        String out = daemon.docker().ok("info");
        assertThat(out).contains("Storage Driver: overlay2");
        assertThat(out).contains("Docker Root Dir: " + daemon.dataRoot());
        String fmt = daemon.docker().ok("info", "--format", "{{.Driver}}|{{.DockerRootDir}}|{{.OSType}}");
        assertThat(fmt.strip()).isEqualTo("overlay2|" + daemon.dataRoot() + "|linux");
    }

    @Test
    void pingAnswersOkWithDockerHeaders() {
        Http.Response r = daemon.http().get("/_ping");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("OK");
        assertThat(r.header("API-Version")).isEqualTo("1.47");
        assertThat(r.header("OSType")).isEqualTo("linux");
        assertThat(r.header("Docker-Experimental")).isEqualTo("false");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache, no-store, must-revalidate");
        assertThat(r.header("Pragma")).isEqualTo("no-cache");

        Http.Response head = daemon.http().request("HEAD", "/_ping", Map.of(), null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("API-Version")).isEqualTo("1.47");

        Http.Response versioned = daemon.http().get("/v1.47/_ping");
        assertThat(versioned.status()).isEqualTo(200);
    }

    @Test
    void unknownRouteIs404Json() {
        Http.Response r = daemon.http().get("/v1.47/no/such/route");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().path("message").asText()).isEqualTo("page not found");
    }

    @Test
    void tooNewApiVersionIsRejected() {
        Http.Response r = daemon.http().get("/v1.99/version");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).contains("1.99").contains("1.47");
    }

    @Test
    void versionEndpointJson() {
        Http.Response r = daemon.http().get("/v1.47/version");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("ApiVersion").asText()).isEqualTo("1.47");
        assertThat(r.json().path("MinAPIVersion").asText()).isEqualTo("1.24");
        assertThat(r.json().path("Os").asText()).isEqualTo("linux");
    }
}
