package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11: berthd is never in a swarm, and says so as dockerd does on a node in none: the docker CLI's swarm, node
 * and service commands fail with dockerd's messages (not "page not found"), and {@code docker info} shows the swarm
 * inactive.
 */
class SwarmEndpointsIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @Test
    void theDockerCliSeesANodeInNoSwarm() {
        DockerCli docker = daemon.docker();
        Result leave = docker.run("swarm", "leave", "--force");
        assertThat(leave.exit()).isNotZero();
        assertThat(leave.err()).contains("Error response from daemon: This node is not part of a swarm");
        for (String[] cmd : new String[][] {{"node", "ls"}, {"service", "ls"}, {"secret", "ls"}, {"config", "ls"}}) {
            Result r = docker.run(cmd);
            assertThat(r.exit()).as(String.join(" ", cmd)).isNotZero();
            assertThat(r.err()).as(String.join(" ", cmd)).contains("This node is not a swarm manager.");
        }
        assertThat(docker.ok("info", "--format", "{{.Swarm.LocalNodeState}}").strip()).isEqualTo("inactive");
    }
}
