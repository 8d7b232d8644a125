package io.berth.server;

import io.berth.server.api.Backends;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.engine.events.EventBus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives {@link Berthd#start} (fake backends) with the real docker CLI when one is on PATH. */
class DockerCliCompatTest {
    @TempDir Path dir;

    @Test void dockerVersionAndImagesTalkToBerthd() throws Exception {
        assertThat(onPath("docker")).as("the docker CLI is on PATH (these machines ship v28)").isTrue();
        Path sock = dir.resolve("run/berth.sock");
        Path pid = dir.resolve("run/berthd.pid");
        DaemonConfig config = DaemonConfig.load(new String[] {"-H", "unix://" + sock, "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("run").toString(), "--config-file", write("{}").toString()});
        boolean[] engineClosed = {false};
        try (Berthd d = Berthd.start(config, Backends.basic(new Fakes.System(), new EventBus(), new Fakes.Images(), Fakes.noContainers()), () -> engineClosed[0] = true)) {
            assertThat(Files.readString(pid)).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(Files.getPosixFilePermissions(sock)).hasSize(4); // rw-rw----
            String version = docker(sock, "version", "--format", "{{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Client.APIVersion}}");
            assertThat(version.trim()).isEqualTo("1.47 1.24 1.47");
            String full = docker(sock, "version");
            assertThat(full).contains("Server:").contains("API version:      1.47 (minimum version 1.24)");
            assertThat(docker(sock, "images", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}").trim()).isEqualTo("busybox:latest 1.23kB");
            assertThat(docker(sock, "image", "inspect", "--format", "{{.Os}}", "localhost:5000/a/b:c").trim()).isEqualTo("linux");
        }
        assertThat(sock).doesNotExist();
        assertThat(pid).doesNotExist();
        assertThat(engineClosed[0]).isTrue();
    }

    private Path write(String json) throws IOException {
        Path p = dir.resolve("daemon.json");
        Files.writeString(p, json);
        return p;
    }

    static String docker(Path sock, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker", "-H", "unix://" + sock));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker %s:\n%s", String.join(" ", args), out).isZero();
        return out;
    }

    static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) if (Files.isExecutable(Path.of(d, exe))) return true;
        return false;
    }
}
