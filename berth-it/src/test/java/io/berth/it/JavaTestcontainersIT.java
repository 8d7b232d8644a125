package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.BerthDockerClientStrategy;
import io.berth.it.support.Images;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * Testcontainers-java 1.21 (Ryuk disabled) on berthd, as its users write tests: a GenericContainer with log and
 * listening-port and health-check wait strategies, exec, copying files in and out, two containers on a network finding each other by
 * alias, and an image built from a Dockerfile.
 *
 * <p>Its name must not start with "Test": surefire's default includes take {@code Test*.java}, and there it would run
 * as a unit test, without failsafe's environment that turns Ryuk off.
 */
class JavaTestcontainersIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static final DockerImageName BUSYBOX = DockerImageName.parse("busybox:latest");

    @BeforeAll
    static void connect() {
        Images.importBusybox(daemon.docker(), "busybox:latest", "CMD [\"sh\"]");
        System.setProperty(BerthDockerClientStrategy.HOST_PROPERTY, daemon.host());
    }

    @AfterAll
    static void forget() {
        System.clearProperty(BerthDockerClientStrategy.HOST_PROPERTY);
    }

    @Test
    void logWaitAndExec() throws Exception {
        try (var c = new GenericContainer<>(BUSYBOX).withCommand("sh", "-c", "echo warming up; sleep 1; echo ready now; exec sleep 300")
                .waitingFor(Wait.forLogMessage(".*ready now.*", 1).withStartupTimeout(Duration.ofSeconds(30)))) {
            c.start();
            assertThat(c.getLogs()).contains("warming up", "ready now");
            ExecResult r = c.execInContainer("sh", "-c", "echo out; echo err >&2; exit 3");
            assertThat(r.getExitCode()).isEqualTo(3);
            assertThat(r.getStdout()).isEqualTo("out\n");
            assertThat(r.getStderr()).isEqualTo("err\n");
        }
    }

    @Test
    void healthcheckWaitStrategy() {
        // healthy only once the file exists: the wait must see starting, then healthy (docker-java's HealthCheck)
        try (var c = new GenericContainer<>(BUSYBOX)
                .withCommand("sh", "-c", "sleep 2; touch /ready; exec sleep 300")
                .withCreateContainerCmdModifier(cmd -> cmd.withHealthcheck(new com.github.dockerjava.api.model.HealthCheck()
                        .withTest(List.of("CMD-SHELL", "test -f /ready")).withInterval(300_000_000L).withRetries(30)))
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofSeconds(30)))) {
            c.start();
            assertThat(c.getCurrentContainerInfo().getState().getHealth().getStatus()).isEqualTo("healthy");
        }
    }

    @Test
    void portWaitAndMappedPort() throws Exception {
        try (var c = new GenericContainer<>(BUSYBOX)
                .withCommand("sh", "-c", "mkdir /www && echo served > /www/index.html && exec httpd -f -p 8080 -h /www")
                .withExposedPorts(8080).waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofSeconds(30)))) {
            c.start();
            URI uri = URI.create("http://" + c.getHost() + ":" + c.getMappedPort(8080) + "/index.html");
            try (HttpClient http = HttpClient.newHttpClient()) {
                assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("served\n");
            }
        }
    }

    @Test
    void copyToAndFromAContainer() throws Exception {
        Path local = Files.writeString(daemon.scratch().resolve("tc-local.txt"), "from the host\n");
        try (var c = new GenericContainer<>(BUSYBOX).withCommand("sleep", "300")
                .withCopyToContainer(Transferable.of("before start\n"), "/opt/given.txt")) {
            c.start();
            c.copyFileToContainer(MountableFile.forHostPath(local), "/tmp/copied.txt");
            assertThat(c.execInContainer("cat", "/opt/given.txt", "/tmp/copied.txt").getStdout())
                    .isEqualTo("before start\nfrom the host\n");
            c.execInContainer("sh", "-c", "echo made inside > /tmp/out.txt");
            String back = c.copyFileFromContainer("/tmp/out.txt", in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(back).isEqualTo("made inside\n");
        }
    }

    @Test
    void containersOnANetworkReachEachOtherByAlias() throws Exception {
        try (Network net = Network.newNetwork();
             var server = new GenericContainer<>(BUSYBOX).withNetwork(net).withNetworkAliases("backend")
                     .withCommand("sh", "-c", "mkdir /www && echo from-backend > /www/index.html && exec httpd -f -p 80 -h /www");
             var client = new GenericContainer<>(BUSYBOX).withNetwork(net).withCommand("sleep", "300")) {
            server.start();
            client.start();
            ExecResult r = client.execInContainer("wget", "-qO-", "http://backend/index.html");
            assertThat(r.getStdout()).as(r.getStderr()).isEqualTo("from-backend\n");
        }
    }

    @Test
    void imageFromDockerfile() throws Exception {
        var image = new ImageFromDockerfile("berth-tc-built", true)
                .withDockerfileFromBuilder(b -> b.from("busybox:latest").run("echo built-by-testcontainers > /built").cmd("sleep", "300").build());
        try (var c = new GenericContainer<>(image)) {
            c.start();
            assertThat(c.execInContainer("cat", "/built").getStdout()).isEqualTo("built-by-testcontainers\n");
        }
    }
}
