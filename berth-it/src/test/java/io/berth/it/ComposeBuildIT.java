package io.berth.it;

import static io.berth.it.support.BuildContexts.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Cmd;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docker-compose 1.29 (Debian's) builds a service through berthd: it parses {@code Successfully built <id>} from the
 * classic stream and tags the image {@code <project>_<service>}; a failed build fails the command.
 */
class ComposeBuildIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @BeforeAll
    static void base() {
        assumeTrue(Cmd.of("docker-compose", "version").run().exit() == 0, "docker-compose is not installed");
        Images.importBusybox(daemon.docker(), "busybox:latest");
    }

    static Result compose(Path dir, String... args) {
        String[] full = new String[args.length + 4];
        full[0] = "docker-compose";
        full[1] = "--project-directory";
        full[2] = dir.toString();
        full[3] = "--no-ansi";
        System.arraycopy(args, 0, full, 4, args.length);
        return Cmd.of(full).env("DOCKER_HOST", daemon.host()).env("COMPOSE_PROJECT_NAME", "cb")
                .env("DOCKER_CONFIG", daemon.dockerConfig().toString()).timeout(Duration.ofMinutes(3)).run();
    }

    @Test
    void composeBuildsAndTagsTheService() {
        Path dir = context(daemon.scratch(), "FROM busybox\nARG GREETING\nRUN echo \"$GREETING\" > /g\n", Map.of("docker-compose.yml", """
                version: "3"
                services:
                  app:
                    build:
                      context: .
                      args:
                        GREETING: from-compose
                """));
        Result r = compose(dir, "-f", dir.resolve("docker-compose.yml").toString(), "build").ok();
        assertThat(r.out() + r.err()).contains("Successfully built");
        assertThat(daemon.docker().ok("run", "--rm", "--network", "none", "cb_app", "cat", "/g")).isEqualTo("from-compose\n");
    }

    @Test
    void aFailedBuildFailsCompose() {
        Path dir = context(daemon.scratch(), "FROM busybox\nRUN exit 5\n", Map.of("docker-compose.yml",
                "version: \"3\"\nservices:\n  bad:\n    build: .\n"));
        Result r = compose(dir, "-f", dir.resolve("docker-compose.yml").toString(), "build");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out() + r.err()).contains("returned a non-zero code: 5");
    }
}
