package io.berth.it;

import static io.berth.it.support.Containers.awaitStatus;
import static io.berth.it.support.Containers.awaitValue;
import static io.berth.it.support.Containers.field;
import static io.berth.it.support.Containers.runDetached;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Containers;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3: restart policies, with Docker's back-off and RestartCount. */
class ContainerPoliciesIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static DockerCli docker;

    @BeforeAll
    static void image() {
        docker = daemon.docker();
        Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");
    }

    @Test
    void onFailureRetriesThenStops() {
        String id = runDetached(docker, "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 1");
        // back-off 100 ms, 200 ms, …: two restarts are done in well under 10 s
        awaitValue("RestartCount and status", Duration.ofSeconds(20), "2 exited 1",
                () -> field(docker, id, "{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}"));
        Containers.sleep(1500);
        assertThat(field(docker, id, "{{.RestartCount}} {{.State.Status}}")).as("no third restart").isEqualTo("2 exited");

        // success is not a failure: no restart
        String ok = runDetached(docker, "--restart", "on-failure:2", "busybox", "true");
        awaitStatus(docker, ok, "exited", Duration.ofSeconds(10));
        Containers.sleep(500);
        assertThat(field(docker, ok, "{{.RestartCount}} {{.State.Status}}")).isEqualTo("0 exited");
        docker.ok("rm", id, ok);
    }

    @Test
    void alwaysRestartsAfterKillButNotAfterStop() {
        String id = runDetached(docker, "--restart", "always", "busybox", "sleep", "300");
        String pid = field(docker, id, "{{.State.Pid}}");
        docker.ok("kill", id);
        awaitValue("restart after kill", Duration.ofSeconds(10), "running 1",
                () -> field(docker, id, "{{.State.Status}} {{.RestartCount}}"));
        assertThat(field(docker, id, "{{.State.Pid}}")).isNotEqualTo(pid);

        docker.ok("stop", "-t", "0", id);
        Containers.sleep(1000);
        assertThat(field(docker, id, "{{.State.Status}}")).as("an explicit stop is not restarted").isEqualTo("exited");
        docker.ok("rm", id);
    }

    @Test
    void unlessStoppedStaysStopped() {
        String id = runDetached(docker, "--restart", "unless-stopped", "busybox", "sleep", "300");
        docker.ok("stop", "-t", "0", id);
        Containers.sleep(1000);
        assertThat(field(docker, id, "{{.State.Status}} {{.RestartCount}}")).isEqualTo("exited 0");
        assertThat(field(docker, id, "{{.HostConfig.RestartPolicy.Name}}")).isEqualTo("unless-stopped");
        docker.ok("rm", id);
    }

    @Test
    void autoRemoveIsDoneByTheDaemon() {
        String id = runDetached(docker, "--rm", "busybox", "sh", "-c", "sleep 0.3");
        assertThat(field(docker, id, "{{.HostConfig.AutoRemove}}")).isEqualTo("true");
        Containers.await("auto-removed", Duration.ofSeconds(10), () -> docker.run("inspect", id).exit() != 0);
        Containers.assertNoLeftovers(daemon, id);
    }
}
