package io.berth.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.http.HttpServer;
import io.berth.http.Router;
import io.berth.server.RawHttp;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The swarm endpoints answer as dockerd 20.10 does on a node in no swarm (checked with curl against it). */
class SwarmRouterTest {
    @TempDir Path dir;
    Path sock;
    HttpServer server;

    @BeforeEach void start() throws Exception {
        sock = dir.resolve("api.sock");
        server = ApiRoutes.server(Router.builder().add(new SwarmRouter()).build());
        server.listen(UnixDomainSocketAddress.of(sock));
    }

    @AfterEach void stop() { server.close(); }

    @Test void everyManagerEndpointIs503NotAManager() throws Exception {
        String body = "{\"message\":\"This node is not a swarm manager. Use \\\"docker swarm init\\\" or \\\"docker swarm join\\\" "
                + "to connect this node to swarm and try again.\"}\n";
        try (RawHttp c = new RawHttp(sock)) {
            for (String[] call : new String[][] {{"GET", "/v1.41/swarm"}, {"GET", "/nodes"}, {"GET", "/v1.47/services"},
                    {"GET", "/tasks?filters=%7B%7D"}, {"GET", "/secrets"}, {"GET", "/configs"}, {"GET", "/swarm/unlockkey"},
                    {"POST", "/services/create"}, {"GET", "/nodes/x"}, {"DELETE", "/services/x"}, {"POST", "/swarm/update"}}) {
                RawHttp.Reply r = c.exchange(call[0], call[1]);
                assertThat(r.status()).as(call[0] + " " + call[1]).isEqualTo(503);
                assertThat(r.text()).as(call[0] + " " + call[1]).isEqualTo(body);
            }
        }
    }

    @Test void leavingIsNotInASwarmAndJoiningIsNotSupported() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            RawHttp.Reply leave = c.exchange("POST", "/v1.41/swarm/leave?force=1");
            assertThat(leave.status()).isEqualTo(503);
            assertThat(leave.text()).isEqualTo("{\"message\":\"This node is not part of a swarm\"}\n");
            assertThat(c.exchange("POST", "/swarm/init").status()).isEqualTo(501);
            assertThat(c.exchange("POST", "/swarm/join").status()).isEqualTo(501);
        }
    }
}
