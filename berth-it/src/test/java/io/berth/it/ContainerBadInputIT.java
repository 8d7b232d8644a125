package io.berth.it;

import static io.berth.it.support.Containers.runDetached;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Containers;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Http;
import io.berth.it.support.Images;
import io.berth.it.support.Mounts;
import io.berth.it.support.Result;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3, section 4: bad input gets Docker's status, message and exit code, and leaks nothing. */
class ContainerBadInputIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static DockerCli docker;

    @BeforeAll
    static void image() {
        docker = daemon.docker();
        Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");
    }

    @AfterEach
    void removeContainers() {
        daemon.removeAllContainers(); // one test's leftover (say, a create that should have failed) must not fail another
    }

    private static Http.Response post(String path, String json) {
        return daemon.http().request("POST", path, Map.of("Content-Type", "application/json"),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void invalidFlagValuesAreRejectedByTheCli() {
        Result mem = docker.run("run", "--rm", "--memory", "abc", "busybox", "true");
        assertThat(mem.exit()).isEqualTo(125);
        assertThat(mem.err()).contains("invalid argument \"abc\" for \"-m, --memory\"");
        Result restart = docker.run("run", "--rm", "--restart", "sometimes", "busybox", "true");
        assertThat(restart.exit()).isEqualTo(125);
        Result ulimit = docker.run("run", "--rm", "--ulimit", "nofile=x", "busybox", "true");
        assertThat(ulimit.exit()).isEqualTo(125);
        assertThat(docker.ok("ps", "-a", "-q")).isBlank();
    }

    @Test
    void invalidValuesThroughTheApiAre400() {
        Http.Response policy = post("/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}");
        assertThat(policy.status()).as(policy.toString()).isEqualTo(400);
        assertThat(policy.json().path("message").asText()).contains("invalid restart policy");

        Http.Response cap = post("/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"CapAdd\":[\"NOT_A_CAP\"]}}");
        assertThat(cap.status()).as(cap.toString()).isEqualTo(400);
        assertThat(cap.json().path("message").asText()).containsIgnoringCase("capability");

        Http.Response rm = post("/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"always\"}}}");
        assertThat(rm.status()).as(rm.toString()).isEqualTo(400);

        Http.Response missingImage = post("/containers/create", "{\"Image\":\"no-such-image:1\"}");
        assertThat(missingImage.status()).isEqualTo(404);
        assertThat(missingImage.json().path("message").asText()).contains("No such image: no-such-image:1");

        Result cli = docker.run("run", "--rm", "no-such-image:1");
        assertThat(cli.exit()).isEqualTo(125);
        assertThat(cli.err()).contains("Unable to find image 'no-such-image:1' locally");

        Result badSignal = docker.run("run", "--rm", "--stop-signal", "NOPE", "busybox", "true");
        assertThat(badSignal.exit()).isEqualTo(125);
        assertThat(badSignal.err()).contains("Invalid signal: NOPE");

        Http.Response badKill = post("/containers/nope/kill?signal=SIGNOPE", null);
        assertThat(badKill.status()).isIn(400, 404);
        assertThat(docker.ok("ps", "-a", "-q")).isBlank();
    }

    @Test
    void theRuntimeIsTheDaemonsDefaultAndAnUnknownOneIsRefused() {
        Result kata = docker.run("run", "--rm", "--runtime", "kata", "busybox", "true");
        assertThat(kata.exit()).isEqualTo(125);
        assertThat(kata.err()).contains("Error response from daemon: Unknown runtime specified kata");
        String id = docker.ok("create", "busybox", "true").strip();
        assertThat(docker.ok("inspect", "--format", "{{.HostConfig.Runtime}}", id).strip())
                .isEqualTo(docker.ok("info", "--format", "{{.DefaultRuntime}}").strip());
        docker.ok("rm", id);
    }

    @Test
    void updateRefusesTheRestartPoliciesCreateRefuses() {
        String id = docker.ok("create", "--network", "none", "busybox", "true").strip();
        try {
            for (String[] bad : new String[][] {{"{\"Name\":\"sometimes\"}", "invalid restart policy: unknown policy 'sometimes'"},
                    {"{\"Name\":\"always\",\"MaximumRetryCount\":3}", "maximum retry count can only be used with 'on-failure'"},
                    {"{\"Name\":\"on-failure\",\"MaximumRetryCount\":-1}", "maximum retry count can't be negative"}}) {
                Http.Response r = post("/containers/" + id + "/update", "{\"RestartPolicy\":" + bad[0] + "}");
                assertThat(r.status()).as(r.toString()).isEqualTo(400);
                assertThat(r.json().path("message").asText()).contains(bad[1]);
            }
            assertThat(docker.ok("inspect", "--format", "{{.HostConfig.RestartPolicy.Name}}", id).strip()).isIn("", "no");
            docker.ok("update", "--restart", "on-failure:2", id);
            assertThat(docker.ok("inspect", "--format", "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}", id).strip())
                    .isEqualTo("on-failure:2");
        } finally {
            docker.ok("rm", id);
        }
    }

    @Test
    void unknownContainers() {
        for (String cmd : List.of("inspect", "start", "stop", "kill", "rm", "logs", "wait", "pause", "restart")) {
            Result r = docker.run(cmd, "nope");
            assertThat(r.exit()).as(cmd).isEqualTo(1);
            assertThat(r.err()).as(cmd).contains(cmd.equals("inspect") ? "No such object: nope" : "No such container: nope");
        }
        assertThat(daemon.http().get("/containers/nope/json").status()).isEqualTo(404);
        assertThat(daemon.http().get("/containers/nope/json").json().path("message").asText()).isEqualTo("No such container: nope");
    }

    @Test
    void stateConflicts() {
        String stopped = docker.ok("create", "busybox", "true").strip();
        Result exec = docker.run("exec", stopped, "true");
        assertThat(exec.exit()).isEqualTo(1);
        assertThat(exec.err()).contains("is not running");
        Http.Response rawExec = post("/containers/" + stopped + "/exec", "{\"Cmd\":[\"true\"]}");
        assertThat(rawExec.status()).as(rawExec.toString()).isEqualTo(409);

        String running = runDetached(docker, "busybox", "sleep", "300");
        Http.Response again = post("/containers/" + running + "/start", null);
        assertThat(again.status()).as("start of a running container").isEqualTo(304);
        assertThat(docker.run("start", running).exit()).as("docker start of a running container is fine").isZero();
        Http.Response stopStopped = post("/containers/" + stopped + "/stop", null);
        assertThat(stopStopped.status()).isEqualTo(304);
        Http.Response unpause = post("/containers/" + running + "/unpause", null);
        assertThat(unpause.status()).isEqualTo(409);

        docker.ok("rm", "-f", running, stopped);
        Http.Response attach = post("/containers/" + running + "/attach?stream=1&stdout=1", null);
        assertThat(attach.status()).as("attach to a removed container").isEqualTo(404);
        Result cliAttach = docker.run("attach", running);
        assertThat(cliAttach.exit()).isEqualTo(1);
        assertThat(cliAttach.err()).contains("No such container");
        for (String id : List.of(running, stopped)) {
            Containers.assertNoLeftovers(daemon, id);
        }
    }

    @Test
    void failedStartsLeakNothing() {
        List<String> ids = new ArrayList<>();
        for (String[] args : List.of(new String[] {"no-such-binary"}, new String[] {"/etc/passwd"}, new String[] {"/"})) {
            String id = docker.ok(concat(new String[] {"create", "busybox"}, args)).strip();
            ids.add(id);
            Result r = docker.run("start", "-a", id);
            assertThat(r.exit()).as(r.toString()).isIn(1, 126, 127);
            assertThat(Containers.status(docker, id)).isIn("created", "exited");
        }
        // a failed start in a namespace that cannot be joined
        Result join = docker.run("run", "--rm", "--network", "container:nope", "busybox", "true");
        assertThat(join.exit()).isEqualTo(125);
        docker.ok(concat(new String[] {"rm"}, ids.toArray(String[]::new)));
        for (String id : ids) {
            Containers.assertNoLeftovers(daemon, id);
        }
        assertThat(Mounts.ofContainersUnder(daemon.execRoot())).as("container mounts under the exec root").isEmpty();
        assertThat(Containers.processes("conmon", daemon.execRoot().toString())).isEmpty();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Roots may be anywhere: a socket path longer than sun_path's 108 bytes must not lose a container's output. */
    @Test
    void longExecRootKeepsAttachWorking() {
        try (BerthDaemon d = BerthDaemon.builder().longRoots().build()) {
            d.start();
            Images.importBusybox(d.docker(), "busybox:latest", "CMD [\"sh\"]");
            Result r = d.docker().run("run", "--rm", "busybox", "echo", "hi");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).as("run output with exec root " + d.execRoot()).isEqualTo("hi\n");
        }
    }
}
