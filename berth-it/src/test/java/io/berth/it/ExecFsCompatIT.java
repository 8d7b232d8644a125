package io.berth.it;

import static io.berth.it.support.Containers.runDetached;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Cmd;
import io.berth.it.support.Containers;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Http;
import io.berth.it.support.Images;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's exec and file-system gaps, through the docker CLI, each checked against what Docker
 * Engine 20.10 does on this machine: an exec whose background child keeps its output open, diff
 * of the container's own mount points, logs --details, cp through volumes and bind mounts in every
 * state, and the log-driver checks.
 */
class ExecFsCompatIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static DockerCli docker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void image() {
        docker = daemon.docker();
        Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");
    }

    @Test
    void anExecWhoseBackgroundChildHoldsItsOutputEndsAboutTwoSecondsAfterItsProcess() {
        String id = runDetached(docker, "--network", "none", "busybox", "sleep", "300");
        long t0 = System.nanoTime();
        Result r = docker.call("exec", id, "sh", "-c", "sleep 60 & echo hi; exit 3").timeout(Duration.ofSeconds(30)).run();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("hi\n");
        assertThat(took).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));

        // a detached one is over as soon as its process is, as in Docker
        Http http = daemon.http();
        String exec = http.request("POST", "/containers/" + id + "/exec", Map.of("Content-Type", "application/json"),
                "{\"Cmd\":[\"sh\",\"-c\",\"sleep 60 & exit 4\"]}".getBytes(StandardCharsets.UTF_8)).json().get("Id").asText();
        assertThat(http.request("POST", "/exec/" + exec + "/start", Map.of("Content-Type", "application/json"),
                "{\"Detach\":true}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        Containers.awaitValue("the detached exec's end", Duration.ofSeconds(5), "false 4", () -> {
            JsonNode x = http.get("/exec/" + exec + "/json").json();
            return x.get("Running").asText() + " " + x.get("ExitCode").asText();
        });

        // the usual exec is unchanged
        assertThat(docker.run("exec", id, "sh", "-c", "echo out; echo err >&2; exit 2"))
                .satisfies(x -> assertThat(x.exit()).isEqualTo(2))
                .satisfies(x -> assertThat(x.out()).isEqualTo("out\n"))
                .satisfies(x -> assertThat(x.err()).isEqualTo("err\n"));
        docker.ok("rm", "-f", id);
    }

    @Test
    void diffHidesTheContainersOwnMountPoints() throws IOException {
        Path bare = tmp.resolve("bare");
        Files.createDirectories(bare);
        Cmd.of("tar", "-xf", Project.busyboxRootfs().toString(), "-C", bare.toString()).run().ok();
        for (String f : new String[] {"hostname", "hosts", "resolv.conf"}) Files.deleteIfExists(bare.resolve("etc").resolve(f));
        Path tar = tmp.resolve("bare.tar");
        Cmd.of("tar", "-cf", tar.toString(), "-C", bare.toString(), ".").run().ok();
        docker.ok("import", tar.toString(), "bare-etc:latest");

        docker.ok("run", "--name", "diff-none", "--network", "none", "bare-etc", "true");
        assertThat(docker.ok("diff", "diff-none")).isEmpty();
        docker.ok("run", "--name", "diff-etc", "--network", "none", "bare-etc", "touch", "/etc/x");
        assertThat(docker.ok("diff", "diff-etc").lines()).containsExactly("C /etc", "A /etc/x");
        docker.ok("rm", "diff-none", "diff-etc");
    }

    @Test
    void logsDetailsPrintsTheStoredAttributesBeforeEachLine() {
        docker.ok("run", "--name", "details-attrs", "--network", "none", "--label", "a=1", "--label", "b=2", "-e", "E=x", "-e", "F=y",
                "--log-opt", "labels=a,b", "--log-opt", "env=F,E", "busybox", "sh", "-c", "echo one; echo two >&2");
        Result r = docker.run("logs", "--details", "details-attrs");
        assertThat(r.out()).isEqualTo("E=x,F=y,a=1,b=2 one\n");
        assertThat(r.err()).isEqualTo("E=x,F=y,a=1,b=2 two\n");

        docker.ok("run", "--name", "details-none", "--network", "none", "busybox", "echo", "hi");
        assertThat(docker.ok("logs", "--details", "details-none")).isEqualTo(" hi\n");
        assertThat(docker.ok("logs", "details-none")).isEqualTo("hi\n");
        docker.ok("rm", "details-attrs", "details-none");
    }

    @Test
    void cpGoesThroughVolumesAndBindMountsWhateverTheState() throws IOException {
        Path host = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(host.resolve("h.txt"), "hostfile\n");
        Path p = Files.writeString(tmp.resolve("p.txt"), "payload\n");
        docker.ok("create", "--name", "cp-vol", "--network", "none", "-v", "cpvol:/data", "-v", host + ":/bind", "-v", "cpro:/ro:ro",
                "busybox", "cat", "/data/p.txt");

        // created, never started
        docker.ok("cp", p.toString(), "cp-vol:/data/p.txt");
        docker.ok("cp", "cp-vol:/bind/h.txt", tmp.resolve("h-out.txt").toString());
        assertThat(Files.readString(tmp.resolve("h-out.txt"))).isEqualTo("hostfile\n");
        Result ro = docker.run("cp", p.toString(), "cp-vol:/ro/p.txt");
        assertThat(ro.exit()).isNotZero();
        assertThat(ro.err()).contains("mounted volume is marked read-only");
        assertThat(docker.ok("start", "-a", "cp-vol")).isEqualTo("payload\n");

        // stopped: into the volume, not the root file system under it
        docker.ok("cp", p.toString(), "cp-vol:/data/p2.txt");
        assertThat(docker.ok("run", "--rm", "--network", "none", "-v", "cpvol:/v", "busybox", "ls", "/v").lines()).containsExactly("p.txt", "p2.txt");
        docker.ok("cp", "cp-vol:/data", tmp.resolve("data-out").toString());
        assertThat(tmp.resolve("data-out/p2.txt")).hasContent("payload");

        // export writes the root file system alone: the mount points, not what the mounts hold
        Path exported = tmp.resolve("export.tar");
        docker.ok("export", "-o", exported.toString(), "cp-vol");
        String names = Cmd.of("tar", "-tf", exported.toString()).run().ok().out();
        assertThat(names).doesNotContain("data/p.txt", "data/p2.txt", "bind/h.txt");

        // running: the volume is mounted in the container's own namespace only
        String id = runDetached(docker, "--network", "none", "-v", "cpvol:/data", "busybox", "sleep", "300");
        docker.ok("cp", p.toString(), id + ":/data/p3.txt");
        assertThat(docker.ok("exec", id, "cat", "/data/p3.txt")).isEqualTo("payload\n");
        docker.ok("rm", "-f", id, "cp-vol");
        docker.ok("volume", "rm", "cpvol", "cpro");
    }

    @Test
    void logDriversAreCheckedAsDockerChecksThem() {
        Result unknown = docker.run("create", "--log-driver", "foo", "busybox", "true");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("error looking up logging plugin foo: plugin \"foo\" not found");
        Result local = docker.run("create", "--log-driver", "local", "--log-opt", "labels=a", "busybox", "true");
        assertThat(local.err()).contains("unknown log opt 'labels' for log driver local");
        Result json = docker.run("create", "--log-opt", "foo=1", "busybox", "true");
        assertThat(json.err()).contains("unknown log opt 'foo' for json-file log driver");

        // json-file takes max-file without max-size, as Docker does; none keeps no log
        String id = docker.ok("run", "-d", "--network", "none", "--log-opt", "max-file=2", "busybox", "echo", "kept").strip();
        Containers.awaitStatus(docker, id, "exited", Duration.ofSeconds(10));
        assertThat(docker.ok("logs", id)).isEqualTo("kept\n");
        String none = docker.ok("run", "-d", "--network", "none", "--log-driver", "none", "busybox", "echo", "lost").strip();
        Containers.awaitStatus(docker, none, "exited", Duration.ofSeconds(10));
        Result logs = docker.run("logs", none);
        assertThat(logs.exit()).isNotZero();
        assertThat(logs.err()).contains("configured logging driver does not support reading");
        docker.ok("rm", id, none);
    }
}
