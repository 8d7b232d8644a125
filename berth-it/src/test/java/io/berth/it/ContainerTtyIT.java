package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Cmd;
import io.berth.it.support.Containers;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Http;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
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

    /**
     * {@code exec -t} in all its forms. Under crun berthd reads the process's terminal itself (crun sends it to a
     * console socket); crun 1.8 relaying it stopped at the process's exit and dropped what it had not copied yet.
     */
    @Test
    void ttyExecsKeepTheirOutputFollowResizesAndReportFailures() throws Exception {
        String id = Containers.runDetached(docker, "busybox", "sleep", "300");
        try {
            for (int i = 0; i < 5; i++) {
                Result r = docker.run("exec", "-t", id, "sh", "-c", "seq 1 300; exit 4");
                assertThat(r.exit()).as(r.toString()).isEqualTo(4);
                assertThat(r.out()).as(r.toString()).startsWith("1\r\n2\r\n").endsWith("299\r\n300\r\n");
            }

            Result shell = underPty("exec -it " + id + " sh", "echo in-$((4+4))\nexit 6\n");
            assertThat(shell.out()).as(shell.toString()).contains("in-8");
            assertThat(shell.exit()).as(shell.toString()).isEqualTo(6);

            Result missing = docker.run("exec", "-t", id, "nope");
            assertThat(missing.exit()).as(missing.toString()).isEqualTo(127);
            assertThat(missing.out()).as(missing.toString())
                    .contains("OCI runtime exec failed: ")
                    .contains("exec: \"nope\": executable file not found in $PATH: unknown")
                    .containsOnlyOnce("unable to start container process");

            // a background child holding the terminal: the exec ends a grace after its process, as dockerd's does
            long t0 = System.nanoTime();
            Result held = docker.call("exec", "-t", id, "sh", "-c", "sleep 60 & echo held; exit 3").timeout(Duration.ofSeconds(30)).run();
            assertThat(held.exit()).as(held.toString()).isEqualTo(3);
            assertThat(held.out()).contains("held");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));

            // detached, then resized through the API: the process's own terminal takes the size
            Http http = daemon.http();
            Http.Response created = http.request("POST", "/containers/" + id + "/exec", Map.of("Content-Type", "application/json"),
                    "{\"Tty\":true,\"Cmd\":[\"sh\",\"-c\",\"sleep 1; stty size > /tmp/size\"]}".getBytes(StandardCharsets.UTF_8));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String exec = created.json().path("Id").asText();
            Http.Response started = http.request("POST", "/exec/" + exec + "/start", Map.of("Content-Type", "application/json"),
                    "{\"Detach\":true,\"Tty\":true}".getBytes(StandardCharsets.UTF_8));
            assertThat(started.status()).as(started.toString()).isEqualTo(200);
            Http.Response resized = http.request("POST", "/exec/" + exec + "/resize?h=33&w=77", Map.of(), new byte[0]);
            assertThat(resized.status()).as(resized.toString()).isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (http.get("/exec/" + exec + "/json").json().path("Running").asBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(http.get("/exec/" + exec + "/json").json().path("ExitCode").asInt(-1)).isZero();
            assertThat(docker.ok("exec", id, "cat", "/tmp/size")).isEqualTo("33 77\n");
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
