package io.berth.it;

import static io.berth.it.support.BuildContexts.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Cmd;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import io.berth.it.support.TarWriter;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code berth build} against a real berthd: a context directory with {@code .dockerignore}, {@code -f} inside and
 * outside the context and {@code -f -}, a context from stdin (a Dockerfile or a tar), {@code -q}, {@code --iidfile},
 * {@code --build-arg}, {@code --label}, and the exit code of a failed RUN.
 */
class BerthBuildCliIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    static DockerCli berth;

    @BeforeAll
    static void base() {
        berth = daemon.berth();
        Images.importBusybox(daemon.docker(), "busybox:latest");
    }

    static Cmd build(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "build";
        System.arraycopy(args, 0, full, 1, args.length);
        return berth.call(full).timeout(Duration.ofMinutes(3));
    }

    static String run(String image, String command) {
        return daemon.docker().ok("run", "--rm", "--network", "none", image, "sh", "-c", command);
    }

    @Test
    void aDirectoryContextWithDockerignoreArgsAndLabels() {
        Path ctx = context(daemon.scratch(), "FROM busybox\nARG A\nCOPY . /ctx\nRUN echo \"a=$A\" > /a\n",
                Map.of(".dockerignore", "*.log\n", "keep.txt", "k", "drop.log", "d"));
        Result r = build("-t", "bb:1", "--build-arg", "A=1", "--label", "team=x", ctx.toString()).run().ok();
        assertThat(r.out()).startsWith("Sending build context to Docker daemon ")
                .contains("Step 1/5 : FROM busybox", "Step 5/5 : LABEL \"team\"='x'", "Successfully built ", "Successfully tagged bb:1");
        assertThat(run("bb:1", "cat /a; ls -A /ctx | sort")).isEqualTo("a=1\n.dockerignore\nDockerfile\nkeep.txt\n");
        assertThat(Images.inspect(daemon.docker(), "bb:1").path("Config").path("Labels").path("team").asText()).isEqualTo("x");
    }

    @Test
    void dockerfilesFromElsewhere() throws Exception {
        Path ctx = context(daemon.scratch(), null, Map.of("f.txt", "file\n"));
        Path outside = Files.writeString(daemon.scratch().resolve("Outside.Dockerfile"), "FROM busybox\nCOPY f.txt /f\n");
        build("-f", outside.toString(), "-t", "bb:outside", ctx.toString()).run().ok();
        assertThat(run("bb:outside", "cat /f; ls -a / | grep -c dockerfile || true")).isEqualTo("file\n0\n");

        build("-f", "-", "-t", "bb:stdin-df", ctx.toString())
                .stdin("FROM busybox\nCOPY f.txt /g\n".getBytes()).run().ok();
        assertThat(run("bb:stdin-df", "cat /g")).isEqualTo("file\n");
    }

    @Test
    void contextFromStdin() throws Exception {
        build("-t", "bb:stdin", "-").stdin("FROM busybox\nRUN echo from-stdin > /s\n".getBytes()).run().ok();
        assertThat(run("bb:stdin", "cat /s")).isEqualTo("from-stdin\n");

        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarWriter t = new TarWriter(tar)) {
            t.file("Dockerfile", 0644, "FROM busybox\nCOPY t.txt /t\n").file("t.txt", 0644, "from a tar\n");
        }
        build("-t", "bb:tar", "-").stdin(tar.toByteArray()).run().ok();
        assertThat(run("bb:tar", "cat /t")).isEqualTo("from a tar\n");
    }

    @Test
    void aRemoteContextTheDaemonFetches() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarWriter t = new TarWriter(tar)) {
            t.file("Dockerfile", 0644, "FROM busybox\nCOPY r.txt /r\n").file("r.txt", 0644, "remote\n");
        }
        byte[] body = tar.toByteArray();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/ctx.tar", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/x-tar");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/ctx.tar";
            build("-t", "bb:remote", url).run().ok();
            assertThat(run("bb:remote", "cat /r")).isEqualTo("remote\n");
            daemon.docker().call("build", "-t", "bb:remote-docker", url).env("DOCKER_BUILDKIT", "0").run().ok();
            assertThat(run("bb:remote-docker", "cat /r")).isEqualTo("remote\n");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void quietIidfileAndFailures() throws Exception {
        Path ctx = context(daemon.scratch(), "FROM busybox\nRUN echo q > /q\n");
        Path iid = daemon.scratch().resolve("iid-" + System.nanoTime());
        Result q = build("-q", "--iidfile", iid.toString(), "-t", "bb:q", ctx.toString()).run().ok();
        String id = Images.inspect(daemon.docker(), "bb:q").path("Id").asText();
        assertThat(q.out()).isEqualTo(id + "\n");
        assertThat(Files.readString(iid)).isEqualTo(id);

        Result failed = build("-t", "bb:failed", context(daemon.scratch(), "FROM busybox\nRUN exit 7\n").toString()).run();
        assertThat(failed.exit()).isEqualTo(7);
        assertThat(failed.err()).contains("The command '/bin/sh -c exit 7' returned a non-zero code: 7");
        assertThat(daemon.docker().run("image", "inspect", "bb:failed").exit()).isNotZero();
    }
}
