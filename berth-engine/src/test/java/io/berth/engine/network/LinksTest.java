package io.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The environment of a legacy link, as moby's daemon/links gives it. No root. */
class LinksTest {
    private static final String IP = "172.17.0.5";

    @Test
    void onePortTheNameAndTheLinkedContainersEnvWithoutHomeAndPath() {
        assertThat(Links.envVars("/web/db", IP, List.of("PATH=/bin", "HOME=/root", "PGDATA=/var/lib/pg", "EMPTY=", "BROKEN"),
                List.of("5432/tcp")))
                .containsExactly("DB_PORT=tcp://172.17.0.5:5432",
                        "DB_PORT_5432_TCP=tcp://172.17.0.5:5432", "DB_PORT_5432_TCP_ADDR=172.17.0.5",
                        "DB_PORT_5432_TCP_PORT=5432", "DB_PORT_5432_TCP_PROTO=tcp",
                        "DB_NAME=/web/db", "DB_ENV_PGDATA=/var/lib/pg", "DB_ENV_EMPTY=");
    }

    @Test
    void aliasIsUpperCaseWithUnderscoresAndNoPortsMeansNoPortVariables() {
        assertThat(Links.envVars("/app/my-cache", IP, null, List.of())).containsExactly("MY_CACHE_NAME=/app/my-cache");
    }

    @Test
    void tcpComesFirstAndARunOfConsecutivePortsGetsStartAndEnd() {
        List<String> env = Links.envVars("/p/svc", IP, List.of(), List.of("53/udp", "8002/tcp", "8000/tcp", "8001/tcp", "80/tcp"));
        assertThat(env.getFirst()).as("the default port: the lowest TCP one").isEqualTo("SVC_PORT=tcp://172.17.0.5:80");
        assertThat(env).containsSubsequence("SVC_PORT_80_TCP=tcp://172.17.0.5:80", "SVC_PORT_8000_TCP=tcp://172.17.0.5:8000",
                        "SVC_PORT_8002_TCP_PROTO=tcp", "SVC_PORT_53_UDP=udp://172.17.0.5:53", "SVC_PORT_53_UDP_PROTO=udp",
                        // moby closes a run when the next port breaks it, so after that port's own variables
                        "SVC_PORT_8000_TCP_START=tcp://172.17.0.5:8000", "SVC_PORT_8000_TCP_PORT_START=8000",
                        "SVC_PORT_8000_TCP_END=tcp://172.17.0.5:8002", "SVC_PORT_8000_TCP_PORT_END=8002", "SVC_NAME=/p/svc")
                .noneMatch(v -> v.startsWith("SVC_PORT_80_TCP_START"));
        assertThat(env).hasSize(1 + 5 * 4 + 4 + 1);
    }
}
