package io.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code berth registry serve --addr 127.0.0.1:<free port> --root <temp dir>} as a child JVM on this JVM's class path
 * ({@code io.berth.cli.Main}), optionally with {@code --htpasswd}. Ready once its port accepts connections;
 * {@link #close()} stops it by its PID (SIGTERM, then SIGKILL) and deletes its directory.
 */
public final class BerthRegistry implements RegistryUnderTest {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final Path logFile;
    private final int port;
    private final Process process;

    private BerthRegistry(int port, List<String> extraArgs) {
        this.port = port;
        try {
            dir = Files.createTempDirectory("berth-it-berth-registry-");
            logFile = dir.resolve("registry.log");
            List<String> cmd = new ArrayList<>(List.of(Project.javaBin().toString(), "--enable-native-access=ALL-UNNAMED",
                    "-cp", Project.classPath(), "io.berth.cli.Main", "registry", "serve",
                    "--addr", "127.0.0.1:" + port, "--root", dir.resolve("root").toString()));
            cmd.addAll(extraArgs);
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start berth registry", e);
        }
        awaitListening();
    }

    /** A registry without authentication. */
    public static BerthRegistry plain() { return new BerthRegistry(freePort(), List.of()); }

    /** A free loopback port, for a registry whose options must name its own address (the token realm). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code dir/htpasswd} with one bcrypt line for {@code user} as Debian's {@code htpasswd -Bbn} makes it. */
    public static Path htpasswd(Path dir, String user, String password) throws IOException {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, Cmd.of("htpasswd", "-Bbn", user, password).run().ok().out().strip() + "\n");
        return file;
    }

    /** A registry on {@code port} with these extra {@code serve} arguments (e.g. {@code --htpasswd F}). */
    public static BerthRegistry withArgs(int port, List<String> args) {
        return new BerthRegistry(port, args);
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String out = log();
                close();
                throw new AssertionError("berth registry serve exited with " + process.exitValue() + ":\n" + out);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    process.waitFor(20, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
        close();
        throw new AssertionError("berth registry serve did not listen within " + READY_TIMEOUT + ":\n" + log());
    }

    @Override public URI base() { return URI.create("http://127.0.0.1:" + port); }

    /** The storage root. */
    public Path root() { return dir.resolve("root"); }

    public Process process() { return process; }

    @Override public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    @Override public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
        try {
            BerthDaemon.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
