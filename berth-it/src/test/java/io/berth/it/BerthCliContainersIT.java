package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Containers;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3 through Berth's own CLI ({@code io.berth.cli.Main}): run, ps, logs, stop, rm; docker cross-checks. */
class BerthCliContainersIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @Test
    void runPsLogsRm() {
        DockerCli berth = daemon.berth();
        DockerCli docker = daemon.docker();
        Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");

        Result hi = berth.run("run", "--rm", "busybox", "echo", "hi");
        assertThat(hi.exit()).as(hi.toString()).isZero();
        assertThat(hi.out()).isEqualTo("hi\n");
        assertThat(berth.run("run", "--rm", "busybox", "sh", "-c", "exit 3").exit()).isEqualTo(3);

        String id = berth.ok("run", "-d", "--name", "bc1", "busybox", "sh", "-c", "echo one; echo two >&2; sleep 300").strip();
        assertThat(id).matches("[0-9a-f]{64}");
        Containers.await("logs", Duration.ofSeconds(10), () -> docker.ok("logs", id).equals("one\n"));
        Result logs = berth.run("logs", "bc1").ok();
        assertThat(logs.out()).isEqualTo("one\n");
        assertThat(logs.err()).isEqualTo("two\n");

        Result ps = berth.run("ps", "-a").ok();
        assertThat(ps.lines().getFirst()).containsPattern("CONTAINER ID\\s+IMAGE\\s+COMMAND\\s+CREATED\\s+STATUS\\s+PORTS\\s+NAMES");
        assertThat(ps.out()).containsPattern(id.substring(0, 12) + "\\s+busybox\\s+.*Up .*bc1");
        assertThat(berth.ok("ps", "-q", "--no-trunc").strip()).isEqualTo(id);

        Result rmRunning = berth.run("rm", "bc1");
        assertThat(rmRunning.exit()).isEqualTo(1);
        assertThat(rmRunning.err()).contains("container is running");
        berth.ok("stop", "-t", "0", "bc1");
        assertThat(Containers.status(docker, id)).isEqualTo("exited");
        assertThat(berth.ok("rm", "bc1").strip()).isEqualTo("bc1");
        assertThat(docker.ok("ps", "-a", "-q")).isBlank();
        Containers.assertNoLeftovers(daemon, id);

        Result unknown = berth.run("rm", "nope");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("No such container: nope");
    }
}
