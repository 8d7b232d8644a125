package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Cmd;
import io.berth.it.support.Images;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 8: the registry settings (flags and daemon.json, dockerd's names) as {@code docker info} shows them. */
class RegistryConfigIT {
    @Test
    void flagsShowInDockerInfo() {
        try (var d = BerthDaemon.builder().arg("--insecure-registry", "10.1.2.3/8", "--insecure-registry", "myreg.example:5000",
                "--registry-mirror", "https://mirror.example", "--max-concurrent-downloads", "4").build()) {
            d.start();
            String info = d.docker().ok("info");
            assertThat(info).contains("""
                     Insecure Registries:
                      myreg.example:5000
                      10.0.0.0/8
                      ::1/128
                      127.0.0.0/8
                     Registry Mirrors:
                      https://mirror.example/
                    """);
            JsonNode rc = Images.parse(d.docker().ok("info", "--format", "{{json .RegistryConfig}}"));
            assertThat(rc.path("IndexConfigs").path("docker.io").path("Official").asBoolean()).isTrue();
            assertThat(rc.path("IndexConfigs").path("docker.io").path("Secure").asBoolean()).isTrue();
            assertThat(rc.path("IndexConfigs").path("docker.io").path("Mirrors").get(0).asText()).isEqualTo("https://mirror.example/");
            assertThat(rc.path("IndexConfigs").path("myreg.example:5000").path("Secure").asBoolean()).isFalse();
            assertThat(rc.path("Mirrors").toString()).isEqualTo("[\"https://mirror.example/\"]");
        }
    }

    @Test
    void defaultsAreLoopbackOnly() {
        try (var d = BerthDaemon.builder().build()) {
            d.start();
            String info = d.docker().ok("info");
            assertThat(info).contains(" Insecure Registries:\n  ::1/128\n  127.0.0.0/8\n").doesNotContain("Registry Mirrors:");
            JsonNode rc = d.http().get("/info").json().path("RegistryConfig");
            assertThat(rc.path("InsecureRegistryCIDRs").toString()).isEqualTo("[\"::1/128\",\"127.0.0.0/8\"]");
            assertThat(rc.path("IndexConfigs").size()).isEqualTo(1);
        }
    }

    @Test
    void daemonJsonKeysAndTheirErrors() throws Exception {
        Path dir = Files.createTempDirectory("berth-it-daemon-json-");
        try {
            Path conf = dir.resolve("daemon.json");
            Files.writeString(conf, "{\"insecure-registries\":[\"registry.internal:443\"],\"registry-mirrors\":[\"http://127.0.0.1:5999\"],"
                    + "\"max-concurrent-uploads\":2}");
            try (var d = BerthDaemon.builder().arg("--config-file", conf.toString()).build()) {
                d.start();
                String info = d.docker().ok("info");
                assertThat(info).contains(" Insecure Registries:\n  registry.internal:443\n  ::1/128\n  127.0.0.0/8\n");
                assertThat(info).contains(" Registry Mirrors:\n  http://127.0.0.1:5999/\n");
            }
            Files.writeString(conf, "{\"registry-mirrors\":[\"ftp://m.example\"]}");
            assertThat(berthdFails("--config-file", conf.toString()).err())
                    .contains("invalid mirror: unsupported scheme \"ftp\" in \"ftp://m.example\"");
            Files.writeString(conf, "{\"insecure-registries\":[\"a.example:1\"]}");
            assertThat(berthdFails("--config-file", conf.toString(), "--insecure-registry", "b.example:2").err())
                    .contains("the following directives are specified both as a flag and in the configuration file: "
                            + "insecure-registry: (from flag: [b.example:2], from file: [a.example:1])");
        } finally {
            BerthDaemon.deleteTree(dir);
        }
    }

    private static Result berthdFails(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Project.javaBin().toString(), "-cp", Project.classPath(), "io.berth.server.Berthd"));
        cmd.addAll(List.of(args));
        Result r = new Cmd(cmd).run();
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        return r;
    }
}
