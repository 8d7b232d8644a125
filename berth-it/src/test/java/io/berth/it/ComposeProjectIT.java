package io.berth.it;

import static io.berth.it.support.BuildContexts.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Compose;
import io.berth.it.support.Images;
import io.berth.it.support.Requirements;
import io.berth.it.support.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A docker-compose 1.29 (Debian's) project of two services through berthd, as a user runs one: a built image, a
 * named volume, a network with an alias, a published host port from the ephemeral range (above 32767), scale, exec,
 * run, logs and {@code down -v}, which leaves no container, network or volume of the project behind.
 */
class ComposeProjectIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @BeforeAll
    static void base() {
        Requirements.require(Compose.installed(), "docker-compose is not installed (bin/setup installs it)");
        Images.importBusybox(daemon.docker(), "busybox:latest");
    }

    @Test
    void aProjectRunsFromUpToDown() throws Exception {
        int hostPort = freePort();
        assertThat(hostPort).isGreaterThan(32767);
        Path dir = context(daemon.scratch(), """
                FROM busybox
                RUN mkdir /www && echo hello-from-build > /www/index.html
                CMD ["httpd", "-f", "-p", "80", "-h", "/www"]
                """, Map.of("docker-compose.yml", """
                version: "3.7"
                services:
                  web:
                    build: .
                    ports:
                      - "%d:80"
                    volumes:
                      - data:/data
                    networks:
                      front:
                        aliases:
                          - webalias
                  worker:
                    image: busybox
                    command: sh -c 'echo worker-started; exec sleep 300'
                    networks:
                      - front
                volumes:
                  data:
                networks:
                  front:
                """.formatted(hostPort)));

        compose(dir, "up", "-d", "--build").ok();
        assertThat(get(hostPort)).isEqualTo("hello-from-build\n");
        assertThat(daemon.docker().ok("port", "cp_web_1", "80/tcp")).contains("0.0.0.0:" + hostPort);

        compose(dir, "exec", "-T", "web", "sh", "-c", "echo kept > /data/f").ok();
        assertThat(compose(dir, "exec", "-T", "web", "cat", "/data/f").ok().out()).isEqualTo("kept\n");
        assertThat(daemon.docker().ok("volume", "ls", "-q")).contains("cp_data");

        Result run = compose(dir, "run", "--rm", "-T", "worker", "wget", "-qO-", "http://webalias/").ok();
        assertThat(run.out()).isEqualTo("hello-from-build\n");

        compose(dir, "up", "-d", "--scale", "worker=2").ok();
        assertThat(compose(dir, "ps", "-q", "worker").ok().lines()).hasSize(2);
        assertThat(compose(dir, "logs", "--no-color", "worker").ok().out()).contains("worker_1", "worker_2", "worker-started");
        assertThat(get(hostPort)).isEqualTo("hello-from-build\n");

        compose(dir, "down", "-v").ok();
        assertThat(daemon.docker().ok("ps", "-aq", "--filter", "label=com.docker.compose.project=cp")).isEmpty();
        assertThat(daemon.docker().ok("volume", "ls", "-q")).doesNotContain("cp_data");
        assertThat(daemon.docker().ok("network", "ls", "--format", "{{.Name}}")).doesNotContain("cp_front");
    }

    private static Result compose(Path dir, String... args) {
        return Compose.run(daemon, "cp", Duration.ofMinutes(3), 
                List.of("--project-directory", dir.toString(), "-f", dir.resolve("docker-compose.yml").toString()), args);
    }

    /** The page on {@code 127.0.0.1:port}, asked again for up to 10 s while httpd is starting. */
    private static String get(int port) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            while (true) {
                try {
                    return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) throw e;
                    Thread.sleep(200);
                }
            }
        }
    }

    /** A port the kernel hands out as ephemeral (32768 and up here), free when asked. */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
