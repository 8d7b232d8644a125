package io.berth.it;

import static io.berth.it.support.BuildContexts.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Compose;
import io.berth.it.support.Images;
import io.berth.it.support.Requirements;
import io.berth.it.support.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        Requirements.require(Compose.installed(), "docker-compose is not installed (bin/setup installs it)");
        Images.importBusybox(daemon.docker(), "busybox:latest");
    }

    static Result compose(Path dir, String... args) {
        return Compose.run(daemon, "cb", Duration.ofMinutes(3), List.of("--project-directory", dir.toString()), args);
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
