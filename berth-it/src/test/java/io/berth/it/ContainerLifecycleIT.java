package io.berth.it;

import static io.berth.it.support.Containers.await;
import static io.berth.it.support.Containers.awaitStatus;
import static io.berth.it.support.Containers.field;
import static io.berth.it.support.Containers.runDetached;
import static io.berth.it.support.Containers.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Containers;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Http;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3: the container lifecycle through the real docker CLI, as Docker Engine answers it. */
class ContainerLifecycleIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static DockerCli docker;
    static String imageId;

    @BeforeAll
    static void image() {
        docker = daemon.docker();
        imageId = Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");
    }

    @Test
    void runRemovesAndReportsExitCodes() {
        Result hi = docker.run("run", "--rm", "busybox", "echo", "hi");
        assertThat(hi.exit()).as(hi.toString()).isZero();
        assertThat(hi.out()).isEqualTo("hi\n");

        assertThat(docker.run("run", "--rm", "busybox", "sh", "-c", "exit 3").exit()).isEqualTo(3);

        Result missing = docker.run("run", "--rm", "busybox", "no-such-binary");
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(127);
        assertThat(missing.err()).contains("no-such-binary").contains("executable file not found");

        Result notExec = docker.run("run", "--rm", "busybox", "/etc/passwd");
        assertThat(notExec.exit()).as(notExec.toString()).isEqualTo(126);
        assertThat(notExec.err()).contains("permission denied");

        // --rm: nothing is left, not even the containers that failed to start
        await("--rm containers removed", Duration.ofSeconds(5), () -> docker.ok("ps", "-a", "-q").isBlank());
    }

    @Test
    void detachedContainersAndPs() {
        String a = runDetached(docker, "--name", "ps-a", "-l", "tier=web", "busybox", "sleep", "300");
        String b = runDetached(docker, "--name", "ps-b", "-l", "tier=db", "busybox", "sh", "-c", "exit 3");
        awaitStatus(docker, b, "exited", Duration.ofSeconds(10));

        Result ps = docker.run("ps").ok();
        assertThat(ps.lines().getFirst()).containsPattern("CONTAINER ID\\s+IMAGE\\s+COMMAND\\s+CREATED\\s+STATUS\\s+PORTS\\s+NAMES");
        assertThat(ps.out()).containsPattern(a.substring(0, 12) + "\\s+busybox\\s+\"sleep 300\"\\s+.*Up .*ps-a")
                .doesNotContain("ps-b");
        assertThat(docker.ok("ps", "-a").lines()).anyMatch(l -> l.contains("ps-b") && l.contains("Exited (3)"));

        assertThat(docker.run("ps", "-q").lines()).contains(a.substring(0, 12)).doesNotContain(b.substring(0, 12));
        assertThat(docker.run("ps", "-a", "-q", "--no-trunc").lines()).contains(a, b);
        assertThat(docker.run("ps", "-a", "-q", "-l", "--no-trunc").lines()).containsExactly(b);
        assertThat(docker.run("ps", "-a", "-q", "-n", "1", "--no-trunc").lines()).containsExactly(b);
        assertThat(docker.run("ps", "-a", "-q", "-n", "2", "--no-trunc").lines()).containsExactly(b, a);

        assertThat(filter("status=running")).contains(a).doesNotContain(b);
        assertThat(filter("status=exited")).contains(b).doesNotContain(a);
        assertThat(filter("name=ps-a")).containsExactly(a);
        assertThat(filter("label=tier=db")).containsExactly(b);
        assertThat(filter("label=tier")).containsExactlyInAnyOrder(a, b);
        assertThat(filter("id=" + a.substring(0, 10))).containsExactly(a);
        assertThat(filter("ancestor=busybox")).contains(a, b);
        assertThat(filter("ancestor=" + imageId)).contains(a, b);
        assertThat(filter("exited=3")).containsExactly(b);
        assertThat(filter("exited=0")).doesNotContain(a, b);

        assertThat(docker.ok("ps", "-a", "--filter", "name=ps-", "--format", "{{.Names}}|{{.Image}}|{{.Labels}}|{{.State}}").lines())
                .containsExactlyInAnyOrder("ps-a|busybox|tier=web|running", "ps-b|busybox|tier=db|exited");
        assertThat(docker.ok("ps", "--no-trunc", "--filter", "id=" + a, "--format", "{{.ID}} {{.Command}}").strip())
                .isEqualTo(a + " \"sleep 300\"");
        JsonNode json = Images.parse(docker.ok("ps", "--filter", "id=" + a, "--format", "{{json .}}"));
        assertThat(json.path("Names").asText()).isEqualTo("ps-a");

        docker.ok("rm", "-f", a, b);
        Containers.assertNoLeftovers(daemon, a);
        Containers.assertNoLeftovers(daemon, b);
    }

    private static List<String> filter(String f) {
        return docker.run("ps", "-a", "-q", "--no-trunc", "--filter", f).ok().lines();
    }

    @Test
    void logsKeepStreamsApartAndFollow() {
        String id = runDetached(docker, "--name", "logs", "busybox", "sh", "-c",
                "echo out1; echo err1 >&2; echo out2; sleep 1; echo out3; echo err2 >&2");
        Result logs0 = docker.run("logs", "-f", id).ok();   // follows until the container exits
        assertThat(logs0.out()).isEqualTo("out1\nout2\nout3\n");
        assertThat(logs0.err()).isEqualTo("err1\nerr2\n");
        assertThat(status(docker, id)).isEqualTo("exited");

        Result tail = docker.run("logs", "--tail", "1", id).ok();
        assertThat(tail.out() + tail.err()).isIn("err2\n", "out3\n");
        assertThat(docker.run("logs", "--tail", "0", id).ok().out()).isEmpty();

        Result ts = docker.run("logs", "-t", id).ok();
        assertThat(ts.lines()).hasSize(3).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z out\\d"));
        assertThat(docker.run("logs", "--since", "1h", id).ok().out()).isEqualTo("out1\nout2\nout3\n");
        String future = Long.toString(Instant.now().plusSeconds(3600).getEpochSecond());
        Result none = docker.run("logs", "--since", future, id).ok();
        assertThat(none.out() + none.err()).isEmpty();

        // stderr only: what a shell sees with 2>/dev/null and >/dev/null
        assertThat(sh("docker -H " + daemon.host() + " logs " + id + " 2>/dev/null")).isEqualTo("out1\nout2\nout3\n");
        assertThat(sh("docker -H " + daemon.host() + " logs " + id + " 2>&1 >/dev/null")).isEqualTo("err1\nerr2\n");
        docker.ok("rm", id);
    }

    private static String sh(String script) {
        return io.berth.it.support.Cmd.of("sh", "-c", script).env("DOCKER_CONFIG", daemon.scratch().toString())
                .unsetEnv("DOCKER_HOST").unsetEnv("DOCKER_CONTEXT").run().ok().out();
    }

    @Test
    void stopSendsTermThenKills() {
        // pid 1 ignores SIGTERM (no handler): stop waits -t seconds and kills
        String stubborn = runDetached(docker, "busybox", "sleep", "300");
        long t0 = System.nanoTime();
        docker.ok("stop", "-t", "1", stubborn);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("stop -t 1 took %d ms", ms).isBetween(900L, 8000L);
        assertThat(field(docker, stubborn, "{{.State.Status}} {{.State.ExitCode}}")).isEqualTo("exited 137");

        // a process that handles SIGTERM exits at once with its own code
        String polite = runDetached(docker, "busybox", "sh", "-c", "trap 'exit 7' TERM; while true; do sleep 0.1; done");
        t0 = System.nanoTime();
        docker.ok("stop", "-t", "10", polite);
        ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("stop of a TERM-handling container took %d ms", ms).isLessThan(5000L);
        assertThat(field(docker, polite, "{{.State.ExitCode}}")).isEqualTo("7");

        // --stop-signal
        String usr = runDetached(docker, "--stop-signal", "USR1", "busybox", "sh", "-c", "trap 'exit 8' USR1; while true; do sleep 0.1; done");
        assertThat(field(docker, usr, "{{.Config.StopSignal}}")).isEqualTo("USR1");
        docker.ok("stop", usr);
        assertThat(field(docker, usr, "{{.State.ExitCode}}")).isEqualTo("8");

        docker.ok("rm", stubborn, polite, usr);
    }

    @Test
    void killWithSignal() {
        String id = runDetached(docker, "busybox", "sh", "-c", "trap 'exit 9' USR1; while true; do sleep 0.1; done");
        assertThat(docker.ok("kill", "-s", "USR1", id).strip()).isEqualTo(id);
        awaitStatus(docker, id, "exited", Duration.ofSeconds(10));
        assertThat(field(docker, id, "{{.State.ExitCode}}")).isEqualTo("9");

        String plain = runDetached(docker, "busybox", "sleep", "300");
        docker.ok("kill", plain);
        awaitStatus(docker, plain, "exited", Duration.ofSeconds(10));
        assertThat(field(docker, plain, "{{.State.ExitCode}}")).isEqualTo("137");

        Result notRunning = docker.run("kill", plain);
        assertThat(notRunning.exit()).isEqualTo(1);
        assertThat(notRunning.err()).contains("is not running");
        Result badSignal = docker.run("kill", "-s", "NOSUCHSIG", id);
        assertThat(badSignal.exit()).isNotZero();
        docker.ok("rm", id, plain);
    }

    @Test
    void restartPauseUnpauseWait() {
        String id = runDetached(docker, "--name", "rpw", "busybox", "sleep", "300");
        String pid1 = field(docker, id, "{{.State.Pid}}");
        String started1 = field(docker, id, "{{.State.StartedAt}}");
        docker.ok("restart", "-t", "0", id);
        assertThat(status(docker, id)).isEqualTo("running");
        assertThat(field(docker, id, "{{.State.Pid}}")).isNotEqualTo(pid1);
        assertThat(field(docker, id, "{{.State.StartedAt}}")).isNotEqualTo(started1);
        assertThat(field(docker, id, "{{.RestartCount}}")).isEqualTo("0");

        docker.ok("pause", id);
        assertThat(field(docker, id, "{{.State.Status}} {{.State.Paused}} {{.State.Running}}")).isEqualTo("paused true true");
        assertThat(docker.ok("ps", "--filter", "status=paused", "-q", "--no-trunc").strip()).isEqualTo(id);
        assertThat(docker.ok("ps", "--filter", "id=" + id, "--format", "{{.Status}}")).contains("(Paused)");
        Result again = docker.run("pause", id);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("is already paused");
        docker.ok("unpause", id);
        assertThat(field(docker, id, "{{.State.Status}} {{.State.Paused}}")).isEqualTo("running false");
        docker.ok("rm", "-f", id);

        String w = runDetached(docker, "busybox", "sh", "-c", "sleep 0.5; exit 5");
        Result wait = docker.run("wait", w).ok();
        assertThat(wait.out().strip()).isEqualTo("5");
        assertThat(docker.ok("wait", w).strip()).as("wait on an exited container").isEqualTo("5");
        docker.ok("rm", w);
    }

    @Test
    void renameRmAndNameUniqueness() {
        String id = runDetached(docker, "--name", "old-name", "busybox", "sleep", "300");
        docker.ok("rename", "old-name", "new-name");
        assertThat(field(docker, id, "{{.Name}}")).isEqualTo("/new-name");
        assertThat(docker.run("inspect", "old-name").exit()).isEqualTo(1);

        Result dup = docker.run("run", "-d", "--name", "new-name", "busybox", "true");
        assertThat(dup.exit()).isEqualTo(125);
        assertThat(dup.err()).contains("Conflict. The container name \"/new-name\" is already in use by container \"" + id + "\"");
        Http.Response raw = daemon.http().request("POST", "/containers/create?name=new-name", Map.of("Content-Type", "application/json"),
                "{\"Image\":\"busybox\",\"Cmd\":[\"true\"]}".getBytes(StandardCharsets.UTF_8));
        assertThat(raw.status()).as(raw.toString()).isEqualTo(409);
        assertThat(raw.json().path("message").asText()).contains("is already in use");

        Result rmRunning = docker.run("rm", "new-name");
        assertThat(rmRunning.exit()).isEqualTo(1);
        assertThat(rmRunning.err()).contains("container is running").contains("stop the container before removing or force remove");
        Http.Response rawRm = daemon.http().request("DELETE", "/containers/" + id, Map.of(), null);
        assertThat(rawRm.status()).isEqualTo(409);

        assertThat(docker.ok("rm", "-f", "new-name").strip()).isEqualTo("new-name");
        Containers.assertNoLeftovers(daemon, id);
        // the name is free again
        String again = runDetached(docker, "--name", "new-name", "busybox", "true");
        docker.ok("wait", again);
        docker.ok("rm", again);
    }

    @Test
    void inspectFields() {
        String id = docker.ok("create", "--name", "insp", "-e", "A=1", "-w", "/tmp", "-l", "k=v", "--hostname", "hx",
                "--memory", "64m", "--restart", "on-failure:3", "busybox", "sh", "-c", "echo x").strip();
        JsonNode c = Containers.inspect(docker, id);
        assertThat(c.path("Id").asText()).isEqualTo(id);
        assertThat(c.path("Name").asText()).isEqualTo("/insp");
        assertThat(c.path("Path").asText()).isEqualTo("sh");
        assertThat(c.path("Args")).hasSize(2);
        assertThat(c.path("Args").get(0).asText()).isEqualTo("-c");
        assertThat(c.path("Image").asText()).isEqualTo(imageId);
        assertThat(c.path("Created").asText()).matches("\\d{4}-.*Z");
        assertThat(c.path("State").path("Status").asText()).isEqualTo("created");
        assertThat(c.path("State").path("Running").asBoolean()).isFalse();
        assertThat(c.path("State").path("Pid").asInt()).isZero();
        assertThat(c.path("State").path("ExitCode").asInt()).isZero();
        assertThat(c.path("State").path("StartedAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(c.path("Config").path("Image").asText()).isEqualTo("busybox");
        assertThat(c.path("Config").path("Hostname").asText()).isEqualTo("hx");
        assertThat(c.path("Config").path("WorkingDir").asText()).isEqualTo("/tmp");
        assertThat(c.path("Config").path("Labels").path("k").asText()).isEqualTo("v");
        assertThat(c.path("Config").path("Env").toString()).contains("\"A=1\"");
        assertThat(c.path("Config").path("Cmd").toString()).isEqualTo("[\"sh\",\"-c\",\"echo x\"]");
        assertThat(c.path("HostConfig").path("Memory").asLong()).isEqualTo(67108864L);
        assertThat(c.path("HostConfig").path("RestartPolicy").path("Name").asText()).isEqualTo("on-failure");
        assertThat(c.path("HostConfig").path("RestartPolicy").path("MaximumRetryCount").asInt()).isEqualTo(3);
        assertThat(c.path("HostConfig").path("NetworkMode").asText()).isNotEmpty();
        assertThat(c.path("Driver").asText()).isEqualTo("overlay2");
        assertThat(c.has("GraphDriver")).isTrue();
        assertThat(c.has("Mounts")).isTrue();

        docker.ok("start", id);
        docker.ok("wait", id);
        JsonNode after = Containers.inspect(docker, id);
        assertThat(after.path("State").path("Status").asText()).isEqualTo("exited");
        assertThat(after.path("State").path("StartedAt").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
        assertThat(after.path("State").path("FinishedAt").asText()).isNotEqualTo("0001-01-01T00:00:00Z");
        assertThat(after.path("LogPath").asText()).isNotEmpty();
        docker.ok("rm", id);
    }

    @Test
    void createStartAttach() {
        String id = docker.ok("create", "--name", "sa", "busybox", "sh", "-c", "echo attached; echo to-err >&2; exit 4").strip();
        assertThat(status(docker, id)).isEqualTo("created");
        Result sa = docker.run("start", "-a", "sa");
        assertThat(sa.exit()).as(sa.toString()).isEqualTo(4);
        assertThat(sa.out()).isEqualTo("attached\n");
        assertThat(sa.err()).isEqualTo("to-err\n");

        // plain create + start: detached, runs
        String bg = docker.ok("create", "busybox", "sleep", "300").strip();
        assertThat(docker.ok("start", bg).strip()).isEqualTo(bg);
        assertThat(status(docker, bg)).isEqualTo("running");

        // attach to a running container: gets what it prints from then on and its exit code
        String late = runDetached(docker, "busybox", "sh", "-c", "sleep 2; echo late; exit 2");
        Result at = docker.run("attach", late);
        assertThat(at.exit()).as(at.toString()).isEqualTo(2);
        assertThat(at.out()).isEqualTo("late\n");

        // stdin through -i
        Result cat = docker.call("run", "--rm", "-i", "busybox", "sh", "-c", "tr a-z A-Z").stdin("hello stdin\n".getBytes()).run();
        assertThat(cat.exit()).as(cat.toString()).isZero();
        assertThat(cat.out()).isEqualTo("HELLO STDIN\n");
        docker.ok("rm", "-f", id, bg, late);
    }

    @Test
    void events() {
        long since = Instant.now().getEpochSecond() - 1;
        String id = runDetached(docker, "--name", "ev1", "busybox", "sh", "-c", "trap 'exit 0' TERM; trap 'exit 12' USR2; while true; do sleep 0.1; done");
        docker.ok("pause", id);
        docker.ok("unpause", id);
        docker.ok("rename", "ev1", "ev2");
        docker.ok("kill", "-s", "USR2", id);
        awaitStatus(docker, id, "exited", Duration.ofSeconds(10));
        docker.ok("start", id);
        docker.ok("stop", id);
        String a = docker.ok("create", "busybox", "sh", "-c", "exit 6").strip();
        docker.run("start", "-a", a);
        docker.ok("rm", id, a);
        long until = Instant.now().getEpochSecond() + 1;

        Result ev = docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
                "--filter", "type=container", "--format", "{{json .}}").ok();
        List<String> actions = new ArrayList<>();
        List<String> actionsA = new ArrayList<>();
        String dieCode = null;
        String dieCodeA = null;
        for (String line : ev.lines()) {
            JsonNode e = Images.parse(line);
            assertThat(e.path("Type").asText()).isEqualTo("container");
            String actor = e.path("Actor").path("ID").asText();
            String action = e.path("Action").asText();
            if (actor.equals(id)) {
                actions.add(action.split(":")[0]);
                if (action.equals("die") && dieCode == null) dieCode = e.path("Actor").path("Attributes").path("exitCode").asText();
                assertThat(e.path("Actor").path("Attributes").path("image").asText()).isEqualTo("busybox");
            } else if (actor.equals(a)) {
                actionsA.add(action.split(":")[0]);
                if (action.equals("die")) dieCodeA = e.path("Actor").path("Attributes").path("exitCode").asText();
            }
        }
        assertThat(actions).as(ev.out()).containsSubsequence("create", "start", "pause", "unpause", "rename", "kill", "die",
                "start", "kill", "die", "stop", "destroy");
        assertThat(dieCode).isEqualTo("12");
        assertThat(actionsA).as(ev.out()).containsSubsequence("create", "attach", "start", "die", "destroy");
        assertThat(dieCodeA).isEqualTo("6");
    }

    @Test
    void rmiOfAnImageInUseIsAConflict() {
        Images.importBusybox(docker, "inuse:latest", "CMD [\"sh\"]");
        docker.ok("tag", "inuse:latest", "inuse:other");
        String id = runDetached(docker, "inuse:latest", "sleep", "300");
        String imgId = field(docker, id, "{{.Image}}");

        // removing one of two tags is fine; the last reference is not
        docker.ok("rmi", "inuse:other");
        Result byId = docker.run("rmi", imgId);
        assertThat(byId.exit()).isEqualTo(1);
        assertThat(byId.err()).contains("conflict: unable to delete").contains("image is being used by running container " + id.substring(0, 12));

        docker.ok("stop", "-t", "0", id);
        Result byName = docker.run("rmi", "inuse:latest");
        assertThat(byName.exit()).isEqualTo(1);
        assertThat(byName.err()).contains("conflict: unable to remove repository reference \"inuse:latest\" (must force) - container "
                + id.substring(0, 12) + " is using its referenced image " + imgId.substring(7, 19));
        docker.ok("rm", id);
        docker.ok("rmi", "inuse:latest");
    }

    @Test
    void infoAndSystemDfCountContainers() {
        daemon.removeAllContainers();
        String running = runDetached(docker, "busybox", "sleep", "300");
        String paused = runDetached(docker, "busybox", "sleep", "300");
        docker.ok("pause", paused);
        String stopped = runDetached(docker, "busybox", "true");
        docker.ok("wait", stopped);
        String created = docker.ok("create", "busybox", "true").strip();

        assertThat(docker.ok("info", "--format", "{{.Containers}} {{.ContainersRunning}} {{.ContainersPaused}} {{.ContainersStopped}}").strip())
                .isEqualTo("4 1 1 2");
        List<String> df = docker.ok("system", "df", "--format", "{{.Type}}|{{.TotalCount}}|{{.Active}}").lines().toList();
        assertThat(df).contains("Containers|4|2");
        JsonNode v = Images.parse(docker.ok("system", "df", "-v", "--format", "{{json .}}"));
        assertThat(v.path("Containers")).hasSize(4);
        docker.ok("unpause", paused);
        docker.ok("rm", "-f", running, paused, stopped, created);
        assertThat(docker.ok("info", "--format", "{{.Containers}}").strip()).isEqualTo("0");
    }

    @Test
    void killReturnsOnceTheContainerHasExited() {
        for (int i = 0; i < 5; i++) {
            String id = docker.ok("run", "-d", "--network", "none", "busybox", "sleep", "300").strip();
            docker.ok("kill", id);
            // as dockerd: no "running" right after docker kill
            assertThat(docker.ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", id).strip()).isEqualTo("exited 137");
            docker.ok("rm", id);
        }
    }
}
