package io.berth.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.container.ContainerCreateRequest;
import io.berth.api.container.ContainerCreateResponse;
import io.berth.engine.service.ContainerService;
import io.berth.http.HttpServer;
import io.berth.http.Router;
import io.berth.server.RawHttp;
import java.lang.reflect.Proxy;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainersRouterTest {
    @TempDir Path dir;
    Path sock;
    HttpServer server;
    final List<ContainerCreateRequest> created = new CopyOnWriteArrayList<>();

    @BeforeEach void start() throws Exception {
        ContainerService fake = (ContainerService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContainerService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("create")) throw new UnsupportedOperationException(method.getName());
                    created.add((ContainerCreateRequest) args[1]);
                    return new ContainerCreateResponse("c1", List.of());
                });
        sock = dir.resolve("api.sock");
        server = ApiRoutes.server(Router.builder().add(new ContainersRouter(fake)).build());
        server.listen(UnixDomainSocketAddress.of(sock));
    }

    @AfterEach void stop() { server.close(); }

    private int create(String body) throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            c.send("POST /v1.47/containers/create HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body);
            return c.read().status();
        }
    }

    @Test void theRuntimeDockerPySendsBesideImageIsTakenWhenHostConfigNamesNone() throws Exception {
        assertThat(create("{\"Image\":\"busybox\",\"Runtime\":\"runc\"}")).isEqualTo(201);
        assertThat(create("{\"Image\":\"busybox\",\"Runtime\":\"runc\",\"HostConfig\":{\"Memory\":8388608}}")).isEqualTo(201);
        assertThat(create("{\"Image\":\"busybox\",\"Runtime\":\"runc\",\"HostConfig\":{\"Runtime\":\"crun\"}}")).isEqualTo(201);
        assertThat(create("{\"Image\":\"busybox\"}")).isEqualTo(201);
        assertThat(created).extracting(r -> r.hostConfigOrEmpty().runtime()).containsExactly("runc", "runc", "crun", null);
        assertThat(created.get(1).hostConfigOrEmpty().memory()).isEqualTo(8388608L);
    }

    @Test void anEmptyBodyIsRefusedAsDockerRefusesIt() throws Exception {
        assertThat(create("null")).isEqualTo(400);
        assertThat(created).isEmpty();
    }
}
