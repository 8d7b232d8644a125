package io.berth.it;

import static io.berth.it.support.BuildContexts.context;
import static io.berth.it.support.Containers.field;
import static io.berth.it.support.Containers.runDetached;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.BuildContexts;
import io.berth.it.support.Containers;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, healthchecks through the docker CLI: {@code --health-*} flags and an image's HEALTHCHECK, State.Health,
 * {@code health_status} events without exec events, ps status and its health filter, a hanging probe killed at the
 * timeout, the start period, stop/start and pause, validation, import --change, and monitoring across a restart of
 * berthd.
 */
class HealthcheckIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().arg("--bridge", "berth-hc0", "--bip", "10.241.7.1/24").build();
    static DockerCli docker;

    @BeforeAll
    static void base() {
        docker = daemon.docker();
        Images.importBusybox(docker, "busybox:latest");
    }

    static void awaitHealth(DockerCli cli, String id, String status) {
        Containers.awaitValue("health of " + id, WAIT, status, () -> field(cli, id, "{{.State.Health.Status}}"));
    }

    static JsonNode health(DockerCli cli, String id) {
        return Containers.inspect(cli, id).path("State").path("Health");
    }

    static List<String> actions(String id, long since) {
        long until = Instant.now().getEpochSecond() + 1;
        return docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
                "--filter", "container=" + id, "--format", "{{.Action}}").ok().lines();
    }

    @Test
    void aPassingProbeMakesItHealthyWithoutExecRecordsOrExecEvents() {
        long since = Instant.now().getEpochSecond() - 1;
        String id = runDetached(docker, "--network", "none", "--health-cmd", "echo probe-out; exit 0",
                "--health-interval", "200ms", "busybox", "sleep", "300");
        awaitHealth(docker, id, "healthy");
        Containers.await("three probes", WAIT, () -> health(docker, id).path("Log").size() >= 3);
        JsonNode h = health(docker, id);
        assertThat(h.path("FailingStreak").asInt()).isZero();
        JsonNode first = h.path("Log").get(0);
        assertThat(first.path("ExitCode").asInt()).isZero();
        assertThat(first.path("Output").asText()).isEqualTo("probe-out\n");
        assertThat(Instant.parse(first.path("End").asText())).isAfterOrEqualTo(Instant.parse(first.path("Start").asText()));
        assertThat(field(docker, id, "{{json .Config.Healthcheck}}"))
                .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"echo probe-out; exit 0\"],\"Interval\":200000000}");
        assertThat(field(docker, id, "{{len .ExecIDs}}")).isEqualTo("0");
        List<String> actions = actions(id, since);
        assertThat(actions).containsOnlyOnce("health_status: healthy");
        assertThat(actions).noneMatch(a -> a.startsWith("exec_"));
        assertThat(docker.ok("ps", "--filter", "id=" + id, "--format", "{{.Status}}").strip()).matches("Up .* \\(healthy\\)");
        assertThat(docker.ok("ps", "-q", "--no-trunc", "--filter", "health=healthy").lines()).contains(id);
        assertThat(docker.ok("ps", "-q", "--no-trunc", "--filter", "health=unhealthy").lines()).doesNotContain(id);
        docker.ok("rm", "-f", id);
    }

    @Test
    void aHangingProbeIsKilledAtTheTimeoutAndCountsAsAFailure() {
        long since = Instant.now().getEpochSecond() - 1;
        String id = runDetached(docker, "--network", "none", "--restart", "always", "--health-cmd", "sleep 60",
                "--health-timeout", "300ms", "--health-interval", "200ms", "--health-retries", "2", "busybox", "sleep", "300");
        awaitHealth(docker, id, "unhealthy");
        JsonNode h = health(docker, id);
        assertThat(h.path("FailingStreak").asInt()).isGreaterThanOrEqualTo(2);
        JsonNode entry = h.path("Log").get(0);
        assertThat(entry.path("ExitCode").asInt()).isEqualTo(-1);
        assertThat(entry.path("Output").asText()).isEqualTo("Health check exceeded timeout (300ms)");
        Duration took = Duration.between(Instant.parse(entry.path("Start").asText()), Instant.parse(entry.path("End").asText()));
        assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        // the killed probes do not pile up in the container
        Containers.sleep(1000);
        long sleepers = docker.ok("exec", id, "ps", "-o", "args").lines().filter(l -> l.contains("sleep 60")).count();
        assertThat(sleepers).isLessThanOrEqualTo(1);
        assertThat(actions(id, since)).containsOnlyOnce("health_status: unhealthy");
        // as Docker: an unhealthy container is not restarted by its restart policy
        assertThat(field(docker, id, "{{.RestartCount}} {{.State.Status}}")).isEqualTo("0 running");
        assertThat(docker.ok("ps", "--filter", "id=" + id, "--format", "{{.Status}}").strip()).matches("Up .* \\(unhealthy\\)");
        assertThat(docker.ok("ps", "-q", "--no-trunc", "--filter", "health=unhealthy").lines()).contains(id);
        docker.ok("rm", "-f", id);
    }

    @Test
    void failuresInTheStartPeriodKeepItStarting() {
        String id = runDetached(docker, "--network", "none", "--health-cmd", "false", "--health-interval", "200ms",
                "--health-start-period", "1h", "--health-retries", "1", "busybox", "sleep", "300");
        Containers.await("three failed probes", WAIT, () -> health(docker, id).path("Log").size() >= 3);
        JsonNode h = health(docker, id);
        assertThat(h.path("Status").asText()).isEqualTo("starting");
        assertThat(h.path("FailingStreak").asInt()).isZero();
        assertThat(h.path("Log").get(0).path("ExitCode").asInt()).isEqualTo(1);
        assertThat(docker.ok("ps", "--filter", "id=" + id, "--format", "{{.Status}}").strip()).matches("Up .* \\(health: starting\\)");
        assertThat(docker.ok("ps", "-q", "--no-trunc", "--filter", "health=starting").lines()).contains(id);
        docker.ok("rm", "-f", id);
    }

    @Test
    void anImagesHealthcheckFromABuildRunsAndNoHealthcheckTurnsItOff() {
        String dir = context(daemon.scratch(), """
                FROM busybox
                HEALTHCHECK --interval=200ms --retries=1 CMD test -f /tmp/ready
                """).toString();
        BuildContexts.classic(docker, "-t", "hc-image", dir).ok();
        assertThat(Images.inspect(docker, "hc-image").path("Config").path("Healthcheck").path("Test").toString())
                .isEqualTo("[\"CMD-SHELL\",\"test -f /tmp/ready\"]");
        String id = runDetached(docker, "--network", "none", "hc-image", "sleep", "300");
        awaitHealth(docker, id, "unhealthy");
        docker.ok("exec", id, "touch", "/tmp/ready");
        awaitHealth(docker, id, "healthy");

        String off = runDetached(docker, "--network", "none", "--no-healthcheck", "hc-image", "sleep", "300");
        assertThat(field(docker, off, "{{json .State.Health}}")).isEqualTo("null");
        assertThat(docker.ok("ps", "--filter", "id=" + off, "--format", "{{.Status}}").strip()).matches("Up [^(]*");
        assertThat(docker.ok("ps", "-q", "--no-trunc", "--filter", "health=none").lines()).contains(off).doesNotContain(id);
        docker.ok("rm", "-f", id, off);
    }

    @Test
    void stopMakesItUnhealthyStartBeginsAgainAndPauseHidesIt() {
        String id = runDetached(docker, "--network", "none", "--health-cmd", "true", "--health-interval", "200ms",
                "busybox", "sleep", "300");
        awaitHealth(docker, id, "healthy");
        docker.ok("stop", "-t", "0", id);
        assertThat(field(docker, id, "{{.State.Health.Status}}")).isEqualTo("unhealthy");
        int logged = health(docker, id).path("Log").size();
        docker.ok("start", id);
        Containers.await("a probe after the start", WAIT, () -> {
            JsonNode h = health(docker, id);
            return h.path("Status").asText().equals("healthy") && h.path("Log").size() > Math.min(logged, 4);
        });
        docker.ok("pause", id);
        assertThat(docker.ok("ps", "--filter", "id=" + id, "--format", "{{.Status}}").strip()).matches("Up .* \\(Paused\\)");
        docker.ok("unpause", id);
        awaitHealth(docker, id, "healthy");
        docker.ok("rm", "-f", id);
    }

    @Test
    void invalidSettingsAreRefusedAsDocker() {
        Result r = docker.run("run", "--rm", "--health-cmd", "true", "--health-interval", "100us", "busybox", "true");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("Interval in Healthcheck cannot be less than 1ms");
        Result t = docker.run("create", "--health-cmd", "true", "--health-timeout", "10us", "busybox", "true");
        assertThat(t.err()).contains("Timeout in Healthcheck cannot be less than 1ms");
        Result f = docker.run("ps", "--filter", "health=sick");
        assertThat(f.err()).contains("Unrecognised filter value for health: sick");
    }

    @Test
    void importAcceptsAHealthcheckChange() {
        Images.importBusybox(docker, "hc-imported", "HEALTHCHECK --interval=300ms CMD [\"true\"]");
        assertThat(Images.inspect(docker, "hc-imported").path("Config").path("Healthcheck").toString())
                .isEqualTo("{\"Test\":[\"CMD\",\"true\"],\"Interval\":300000000}");
        String id = runDetached(docker, "--network", "none", "hc-imported", "sleep", "300");
        awaitHealth(docker, id, "healthy");
        docker.ok("rm", "-f", id);
    }

    @Test
    void aProbeThatCannotRunFailsWithTheRuntimesErrorAndLongOutputIsCapped() {
        Images.importBusybox(docker, "hc-missing", "HEALTHCHECK --interval=300ms CMD [\"nope\"]");
        String missing = runDetached(docker, "--network", "none", "hc-missing", "sleep", "300");
        Containers.await("a failed probe", WAIT, () -> !health(docker, missing).path("Log").isEmpty());
        JsonNode failed = health(docker, missing).path("Log").get(0);
        assertThat(failed.path("ExitCode").asInt()).isEqualTo(-1);
        assertThat(failed.path("Output").asText()).startsWith("OCI runtime exec failed: ")
                .contains("exec: \"nope\": executable file not found in $PATH").endsWith(": unknown");

        String chatty = runDetached(docker, "--network", "none", "--health-cmd", "yes | head -c 5000",
                "--health-interval", "300ms", "busybox", "sleep", "300");
        Containers.await("a probe", WAIT, () -> !health(docker, chatty).path("Log").isEmpty());
        String out = health(docker, chatty).path("Log").get(0).path("Output").asText();
        assertThat(out).hasSize(4096 + 3).startsWith("y\ny\n").endsWith("y\n...");
        docker.ok("rm", "-f", missing, chatty);
    }

    @Test
    void monitoringGoesOnAfterBerthdRestarts() {
        try (BerthDaemon d = BerthDaemon.builder().arg("--bridge", "berth-hc1", "--bip", "10.241.8.1/24").build()) {
            d.start();
            DockerCli cli = d.docker();
            Images.importBusybox(cli, "busybox:latest");
            String id = runDetached(cli, "--network", "none", "--health-cmd", "test ! -f /tmp/sick",
                    "--health-interval", "200ms", "--health-retries", "1", "busybox", "sleep", "300");
            awaitHealth(cli, id, "healthy");
            assertThat(d.terminate()).isZero();
            d.restart();
            cli.ok("exec", id, "touch", "/tmp/sick");
            awaitHealth(cli, id, "unhealthy");
            cli.ok("rm", "-f", id);
        }
    }
}
