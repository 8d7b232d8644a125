package io.berth.it;

import static io.berth.it.support.Containers.field;
import static io.berth.it.support.Containers.runDetached;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Containers;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: live restore is always on. Containers keep running while berthd is gone (SIGKILL or SIGTERM); the next
 * berthd on the same roots recovers their state, exit codes and logs, and can stop and attach them.
 */
class LiveRestoreIT {

    @Test
    void survivesSigkill() {
        survives(true);
    }

    @Test
    void survivesSigterm() {
        survives(false);
    }

    private static void survives(boolean kill9) {
        try (BerthDaemon d = BerthDaemon.builder().build()) {
            d.start();
            DockerCli docker = d.docker();
            Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");
            String sleeper = runDetached(docker, "--name", "sleeper", "busybox", "sh", "-c", "echo before; sleep 300");
            // exits while berthd is down
            String shortLived = runDetached(docker, "--name", "short", "busybox", "sh", "-c", "echo line1; sleep 2; echo line2 >&2; exit 42");
            String always = runDetached(docker, "--name", "always", "--restart", "always", "busybox", "sh", "-c", "sleep 2; exit 1");
            String pid = field(docker, sleeper, "{{.State.Pid}}");
            Containers.await("logs of sleeper", Duration.ofSeconds(5), () -> docker.ok("logs", sleeper).equals("before\n"));

            if (kill9) {
                d.kill9();
            } else {
                assertThat(d.terminate()).isZero();
            }
            assertThat(Containers.alive(Long.parseLong(pid))).as("container process survives berthd").isTrue();
            assertThat(Containers.processes("conmon", sleeper)).as("its conmon survives").hasSize(1);
            Containers.sleep(3000); // "short" and "always" exit meanwhile

            d.restart();
            Result ps = docker.run("ps", "--no-trunc", "-q").ok();
            assertThat(ps.lines()).contains(sleeper).doesNotContain(shortLived);
            assertThat(field(docker, sleeper, "{{.State.Status}} {{.State.Pid}}")).isEqualTo("running " + pid);
            assertThat(field(docker, shortLived, "{{.State.Status}} {{.State.ExitCode}}")).isEqualTo("exited 42");
            Result logs = docker.run("logs", shortLived).ok();
            assertThat(logs.out()).isEqualTo("line1\n");
            assertThat(logs.err()).isEqualTo("line2\n");
            assertThat(docker.ok("wait", shortLived).strip()).isEqualTo("42");
            // a restart-always container that died meanwhile is started again
            Containers.awaitValue("always restarted", Duration.ofSeconds(10), "running",
                    () -> field(docker, always, "{{.State.Status}}"));

            // the recovered container is fully controllable
            docker.ok("exec", sleeper, "true");
            docker.ok("stop", "-t", "1", sleeper);
            assertThat(field(docker, sleeper, "{{.State.Status}} {{.State.ExitCode}}")).isEqualTo("exited 137");
            assertThat(Containers.alive(Long.parseLong(pid))).isFalse();
            docker.ok("rm", "-f", sleeper, shortLived, always);
            for (String id : new String[] {sleeper, shortLived, always}) {
                Containers.assertNoLeftovers(d, id);
            }
        }
    }

    @Test
    void attachAfterRestore() {
        try (BerthDaemon d = BerthDaemon.builder().build()) {
            d.start();
            DockerCli docker = d.docker();
            Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");
            String id = runDetached(docker, "busybox", "sh", "-c", "sleep 8; echo after-restore; exit 5");
            d.kill9();
            d.restart();
            Result at = docker.run("attach", id);
            assertThat(at.exit()).as(at.toString()).isEqualTo(5);
            assertThat(at.out()).isEqualTo("after-restore\n");
            docker.ok("rm", id);
        }
    }
}
