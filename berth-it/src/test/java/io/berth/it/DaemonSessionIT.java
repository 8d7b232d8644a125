package io.berth.it;

import static io.berth.it.support.Containers.runDetached;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * berthd as systemd runs a service: the leader of a session with no controlling terminal. The first pty it opens for an
 * {@code exec -t} becomes its controlling terminal (the JDK opens it without {@code O_NOCTTY}), and the hang-up when
 * that pty closes, like any SIGHUP, must not stop it (dockerd takes SIGHUP as a reload request).
 */
class DaemonSessionIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().sessionLeader().build();

    @Test
    void ttyExecsAndHangUpsLeaveASessionLeaderDaemonRunning() throws Exception {
        DockerCli docker = daemon.docker();
        Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");
        String id = runDetached(docker, "--network", "none", "busybox", "sleep", "300");
        for (int i = 0; i < 3; i++) {
            Result r = docker.run("exec", "-t", id, "echo", "tty" + i);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("tty" + i);
        }
        assertThat(daemon.isAlive()).as(daemon.logTail(20)).isTrue();
        new ProcessBuilder("kill", "-HUP", Long.toString(daemon.process().pid())).start().waitFor();
        assertThat(docker.run("exec", id, "echo", "after").out()).isEqualTo("after\n");
        assertThat(daemon.isAlive()).isTrue();
        assertThat(daemon.logText()).contains("SIGHUP received");
        docker.ok("rm", "-f", id);
    }
}
