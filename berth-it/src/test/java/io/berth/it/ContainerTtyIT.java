package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Cmd;
import io.berth.it.support.Containers;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 3: {@code docker run -it} under a real pseudo-terminal: util-linux {@code script} gives the docker CLI a pty
 * (so it puts it in raw mode and sends keystrokes), our stdin is fed into that pty.
 */
class ContainerTtyIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static DockerCli docker;

    @BeforeAll
    static void image() {
        docker = daemon.docker();
        Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");
    }

    /** Runs {@code docker -H … args} inside {@code script -qfec}, typing {@code keys} after a short pause. */
    private static Result underPty(String dockerArgs, String keys) {
        String cmd = "docker -H " + daemon.host() + " " + dockerArgs;
        return Cmd.of("script", "-qfec", cmd, "/dev/null")
                .env("DOCKER_CONFIG", daemon.scratch().toString()).unsetEnv("DOCKER_HOST").unsetEnv("DOCKER_CONTEXT")
                .env("TERM", "xterm")
                .stdin((OutputStream out) -> {
                    try {
                        Thread.sleep(1500); // let the shell start and the CLI put the pty in raw mode
                        for (String line : keys.split("(?<=\n)")) {
                            out.write(line.getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            Thread.sleep(300);
                        }
                        Thread.sleep(1000); // script ends its session at EOF on stdin: give the exit time
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                })
                .timeout(Duration.ofSeconds(60)).run();
    }

    @Test
    void interactiveShellUnderAPty() {
        Result r = underPty("run -it --rm busybox sh", "echo hi-$((1+1))\nexit 3\n");
        assertThat(r.out()).as(r.toString()).contains("hi-2");
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(docker.ok("ps", "-a", "-q")).isBlank();
    }

    @Test
    void ttyInsideIsTheContainersPty() {
        Result r = underPty("run -it --rm busybox sh", "tty; stty size\nexit\n");
        assertThat(r.out()).as(r.toString()).contains("/dev/pts/0");
        assertThat(r.exit()).isZero();

        // -t without a terminal on our side: the CLI refuses, as Docker's does
        Result noTty = docker.run("run", "-it", "--rm", "busybox", "true");
        assertThat(noTty.exit()).isNotZero();
        assertThat(noTty.err()).contains("the input device is not a TTY");
    }

    @Test
    void ttyWithoutInteractiveMergesStreams() {
        Result r = docker.run("run", "-t", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; tty");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("out\r\n").contains("err\r\n").contains("/dev/pts/0");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void execPipesStdinUntilEofAndReportsStartFailuresOnce() {
        String id = Containers.runDetached(docker, "busybox", "sleep", "300");
        try {
            Result cat = docker.call("exec", "-i", id, "cat").stdin("hello\nworld\n".getBytes(StandardCharsets.UTF_8)).run();
            assertThat(cat.exit()).as(cat.toString()).isZero();
            assertThat(cat.out()).isEqualTo("hello\nworld\n");

            Result both = docker.run("exec", id, "sh", "-c", "echo out; echo err >&2; exit 5");
            assertThat(both.exit()).as(both.toString()).isEqualTo(5);
            assertThat(both.out()).isEqualTo("out\n");
            assertThat(both.err()).isEqualTo("err\n");

            Result missing = docker.run("exec", id, "nope");
            assertThat(missing.exit()).as(missing.toString()).isEqualTo(127);
            assertThat(missing.out()).contains("OCI runtime exec failed: ") // then runc's words (crun's are put in them)
                    .contains("unable to start container process: exec: \"nope\": executable file not found in $PATH: unknown");
            assertThat(missing.out() + missing.err()).containsOnlyOnce("unable to start container process");
        } finally {
            docker.ok("rm", "-f", id);
        }
    }

    @Test
    void detachKeysLeaveContainerAndExecRunning() {
        String id = Containers.runDetached(docker, "-it", "busybox", "sh");
        try {
            // the docker CLI (v28) reports a detach as an error: "read escape sequence", exit 1
            Result exec = underPty("exec -it " + id + " sh", "echo in-exec-$((2+3))\n\u0010\u0011");
            assertThat(exec.out()).as(exec.toString()).contains("in-exec-5").contains("read escape sequence");
            assertThat(exec.exit()).as(exec.toString()).isEqualTo(1);
            assertThat(Containers.status(docker, id)).isEqualTo("running");

            Result attach = underPty("attach --detach-keys ctrl-a,x " + id, "echo in-main-$((3+4))\n\u0001x");
            assertThat(attach.out()).as(attach.toString()).contains("in-main-7").contains("read escape sequence");
            assertThat(attach.exit()).as(attach.toString()).isEqualTo(1);
            assertThat(Containers.status(docker, id)).isEqualTo("running");
        } finally {
            docker.ok("rm", "-f", id);
        }
    }
}
