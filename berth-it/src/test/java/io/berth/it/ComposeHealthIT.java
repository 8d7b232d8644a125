package io.berth.it;

import static io.berth.it.support.Containers.field;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Compose;
import io.berth.it.support.Containers;
import io.berth.it.support.Images;
import io.berth.it.support.Requirements;
import io.berth.it.support.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docker-compose 1.29 (Debian's) with {@code depends_on: condition: service_healthy} (issue 11): {@code up -d} starts
 * the dependent service only once the other's health check passed.
 */
class ComposeHealthIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().arg("--bridge", "berth-hc2", "--bip", "10.241.9.1/24").build();

    @BeforeAll
    static void base() {
        Requirements.require(Compose.installed(), "docker-compose is not installed (bin/setup installs it)");
        Images.importBusybox(daemon.docker(), "busybox:latest");
    }

    static Result compose(Path file, String... args) {
        return Compose.run(daemon, "ch", Duration.ofMinutes(2), List.of("-f", file.toString()), args);
    }

    @Test
    void serviceHealthyWaitsForTheHealthCheck() {
        Path file = daemon.scratch().resolve("docker-compose.yml");
        try {
            Files.writeString(file, """
                    version: "2.4"
                    services:
                      db:
                        image: busybox
                        network_mode: none
                        command: ["sh", "-c", "sleep 2; touch /tmp/ready; sleep 300"]
                        healthcheck:
                          test: ["CMD-SHELL", "test -f /tmp/ready"]
                          interval: 300ms
                          retries: 30
                      app:
                        image: busybox
                        network_mode: none
                        command: ["sleep", "300"]
                        depends_on:
                          db:
                            condition: service_healthy
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            compose(file, "up", "-d").ok();
            var docker = daemon.docker();
            assertThat(field(docker, "ch_db_1", "{{.State.Health.Status}}")).isEqualTo("healthy");
            assertThat(field(docker, "ch_app_1", "{{.State.Status}}")).isEqualTo("running");
            Instant firstSuccess = null;
            for (JsonNode r : Containers.inspect(docker, "ch_db_1").path("State").path("Health").path("Log")) {
                if (r.path("ExitCode").asInt() == 0) {
                    firstSuccess = Instant.parse(r.path("End").asText());
                    break;
                }
            }
            Instant dbStarted = Instant.parse(field(docker, "ch_db_1", "{{.State.StartedAt}}"));
            Instant appStarted = Instant.parse(field(docker, "ch_app_1", "{{.State.StartedAt}}"));
            assertThat(appStarted).isAfter(dbStarted.plusSeconds(2));
            if (firstSuccess != null) assertThat(appStarted).isAfterOrEqualTo(firstSuccess);
        } finally {
            compose(file, "down", "-t", "0");
        }
    }
}
