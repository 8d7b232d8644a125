package io.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's dockerd (docker.io) on private roots under a short temporary directory, as bench/engines.sh starts it:
 * {@code --iptables=false --bridge=none}, its own containerd under the exec root, nothing on the host's network
 * changed. Ready once {@code docker version} answers; {@link #close()} stops it by its PID and deletes the roots.
 */
public final class Dockerd implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Process process;

    private Dockerd() {
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "bd-");
            Files.createDirectories(dir.resolve("config"));
            process = new ProcessBuilder("dockerd", "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
                    "-H", host(), "--pidfile", dir.resolve("dockerd.pid").toString(), "--iptables=false", "--bridge=none",
                    "--storage-driver", "overlay2")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dockerd", e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) break;
            if (Files.exists(dir.resolve("docker.sock")) && docker().run("version").exit() == 0) return;
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String log = log();
        close();
        throw new AssertionError("dockerd did not answer:\n" + log);
    }

    /** Starts one; needs root and Debian's docker.io. */
    public static Dockerd start() { return new Dockerd(); }

    public String host() { return "unix://" + dir.resolve("docker.sock"); }

    /** The docker CLI against this dockerd, with a config directory of its own. */
    public DockerCli docker() { return DockerCli.docker(host(), dir.resolve("config")); }

    public String log() {
        try {
            return Files.readString(dir.resolve("dockerd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override public void close() {
        Processes.stop(process, Duration.ofSeconds(30));
        Cmd.of("sh", "-c", "awk -v q='" + dir + "/' 'index($5, q) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l")
                .run();
        try {
            BerthDaemon.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
