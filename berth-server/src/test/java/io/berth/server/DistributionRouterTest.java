package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.Filters;
import io.berth.api.JsonMessage;
import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.AuthResponse;
import io.berth.api.registry.DistributionInspect;
import io.berth.api.registry.SearchResult;
import io.berth.server.api.ApiRoutes;
import io.berth.server.api.DistributionRouter;
import io.berth.server.api.ImagesRouter;
import io.berth.engine.service.DistributionService;
import io.berth.engine.service.ProgressSink;
import io.berth.http.HttpServer;
import io.berth.http.Router;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code POST /images/create?fromImage=} maps onto a pull, as moby's postImagesCreate reads it. */
class DistributionRouterTest {
    @TempDir Path dir;
    Path sock;
    HttpServer server;
    final List<DistributionService.PullRequest> pulls = new ArrayList<>();

    final DistributionService distribution = new DistributionService() {
        @Override public void pull(PullRequest request, ProgressSink progress) {
            pulls.add(request);
            progress.send(JsonMessage.status("latest", "Pulling from library/busybox"));
            progress.send(JsonMessage.update("abc", "Pull complete"));
        }
        @Override public void push(PushRequest request, ProgressSink progress) { }
        @Override public AuthResponse login(AuthConfig config) { return null; }
        @Override public DistributionInspect inspect(String name, AuthConfig auth) { return null; }
        @Override public List<SearchResult> search(String term, int limit, Filters filters, AuthConfig auth) { return List.of(); }
    };

    @BeforeEach void start() throws Exception {
        sock = dir.resolve("api.sock");
        Router router = Router.builder().add(new ImagesRouter(new Fakes.Images(), new DistributionRouter(distribution))).build();
        server = ApiRoutes.server(router);
        server.listen(UnixDomainSocketAddress.of(sock));
    }

    @AfterEach void stop() { server.close(); }

    DistributionService.PullRequest pull(String query) throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            RawHttp.Reply r = c.exchange("POST", "/images/create?" + query);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\r\n"
                    + "{\"status\":\"Pull complete\",\"id\":\"abc\",\"progressDetail\":{}}\r\n");
        }
        return pulls.getLast();
    }

    @Test void aTagPullsThatTag() throws Exception {
        assertThat(pull("fromImage=busybox&tag=latest")).isEqualTo(new DistributionService.PullRequest("busybox", "latest", false, null, AuthConfig.NONE));
        assertThat(pull("fromImage=busybox:1.36").allTags()).isFalse();
        assertThat(pull("fromImage=busybox%40sha256%3A" + "a".repeat(64)).allTags()).isFalse();
        assertThat(pull("fromImage=busybox&tag=sha256%3A" + "a".repeat(64)).tag()).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(pull("fromImage=busybox&tag=1&platform=linux%2Farm64").platform()).isEqualTo("linux/arm64");
    }

    @Test void aBareNameWithoutTagPullsEveryTag() throws Exception {
        assertThat(pull("fromImage=busybox")).isEqualTo(new DistributionService.PullRequest("busybox", null, true, null, AuthConfig.NONE));
        assertThat(pull("fromImage=busybox%3A")).isEqualTo(new DistributionService.PullRequest("busybox", null, true, null, AuthConfig.NONE));
        assertThat(pull("fromImage=localhost%3A5000%2Fa%2Fb").allTags()).isTrue();
        assertThat(pull("fromImage=localhost%3A5000%2Fa%2Fb%3Av1").allTags()).isFalse();
    }
}
