package io.berth.it;

import static io.berth.it.support.BuildContexts.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Cmd;
import io.berth.it.support.Images;
import io.berth.it.support.Requirements;
import io.berth.it.support.Result;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docker-py's {@code images.build} (Debian's python3-docker under {@code /usr/bin/python3}) against berthd: it parses
 * {@code Successfully built <id>} (or the {@code sha256:} of {@code quiet}) from the stream, and raises
 * {@code BuildError} with the stream's error.
 */
class DockerPyBuildIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @BeforeAll
    static void base() {
        Requirements.require(Cmd.of("/usr/bin/python3", "-c", "import docker").run().exit() == 0,
                "python3-docker is not installed (apt-get install python3-docker)");
        Images.importBusybox(daemon.docker(), "busybox:latest");
    }

    static Result python(String script, Path ctx) {
        return Cmd.of("/usr/bin/python3", "-c", script, ctx.toString()).env("DOCKER_HOST", daemon.host())
                .timeout(Duration.ofMinutes(3)).run();
    }

    @Test
    void imagesBuildReturnsTheImageAndItsLogs() {
        Path ctx = context(daemon.scratch(), "FROM busybox\nARG A\nRUN echo \"$A\" > /a\nLABEL l=v\n");
        Result r = python("""
                import sys, docker
                c = docker.from_env()
                img, logs = c.images.build(path=sys.argv[1], tag='py:1', buildargs={'A': 'from-py'}, rm=True)
                print(img.id)
                print(''.join(l.get('stream', '') for l in logs))
                img2, _ = c.images.build(path=sys.argv[1], tag='py:2', buildargs={'A': 'from-py'}, quiet=True)
                print(img2.id)
                """, ctx).ok();
        String id = Images.inspect(daemon.docker(), "py:1").path("Id").asText();
        assertThat(r.lines().getFirst()).isEqualTo(id);
        assertThat(r.out()).contains("Step 1/4 : FROM busybox", "Successfully tagged py:1");
        assertThat(r.lines().getLast()).as("the cached quiet build is the same image").isEqualTo(id);
        assertThat(daemon.docker().ok("run", "--rm", "--network", "none", "py:1", "cat", "/a")).isEqualTo("from-py\n");
    }

    @Test
    void aFailedBuildRaisesBuildError() {
        Path ctx = context(daemon.scratch(), "FROM busybox\nRUN exit 4\n");
        Result r = python("""
                import sys, docker
                from docker.errors import BuildError
                try:
                    docker.from_env().images.build(path=sys.argv[1], tag='py:failed')
                    print('no error')
                except BuildError as e:
                    print('BuildError: ' + e.msg)
                """, ctx).ok();
        assertThat(r.out()).contains("BuildError: The command '/bin/sh -c exit 4' returned a non-zero code: 4");
    }
}
