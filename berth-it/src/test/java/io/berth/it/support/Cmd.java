package io.berth.it.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One external command: arguments, environment, optional stdin, a timeout. Run it once with {@link #run()}. */
public final class Cmd {
    /** Writes a command's standard input; the stream is closed afterwards. */
    @FunctionalInterface
    public interface StdinWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private final List<String> command;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> unset = new ArrayList<>();
    private StdinWriter stdin;
    private Duration timeout = Duration.ofSeconds(120);

    public Cmd(List<String> command) {
        this.command = List.copyOf(command);
    }

    public static Cmd of(String... command) {
        return new Cmd(List.of(command));
    }

    public Cmd env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Cmd unsetEnv(String name) {
        unset.add(name);
        return this;
    }

    public Cmd stdin(Path file) {
        this.stdin = out -> Files.copy(file, out);
        return this;
    }

    public Cmd stdin(byte[] bytes) {
        this.stdin = out -> out.write(bytes);
        return this;
    }

    public Cmd stdin(StdinWriter writer) {
        this.stdin = writer;
        return this;
    }

    public Cmd timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Runs and returns the result whatever the exit code; fails only on timeout. */
    public Result run() {
        ProcessBuilder pb = new ProcessBuilder(command);
        unset.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread tOut = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
        Thread tErr = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), err));
        Thread tIn = null;
        IOException[] stdinError = new IOException[1];
        if (stdin != null) {
            StdinWriter w = stdin;
            tIn = Thread.ofVirtual().start(() -> {
                try (OutputStream os = p.getOutputStream()) {
                    w.writeTo(os);
                } catch (IOException e) {
                    stdinError[0] = e; // the process may exit early (e.g. rejecting bad input): reported with its result
                }
            });
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                tOut.join(2000);
                tErr.join(2000);
                throw new AssertionError("timed out after " + timeout + ": " + new Result(command, -1, text(out), text(err)));
            }
            tOut.join();
            tErr.join();
            if (tIn != null) {
                tIn.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError("interrupted while running " + command, e);
        }
        String errText = text(err);
        if (stdinError[0] != null && p.exitValue() == 0) {
            errText += "\n[berth-it] writing stdin failed: " + stdinError[0];
        }
        return new Result(command, p.exitValue(), text(out), errText);
    }

    private static void drain(InputStream in, ByteArrayOutputStream sink) {
        try (in) {
            in.transferTo(sink);
        } catch (IOException ignored) {
            // the process is gone; what was read so far is what it printed
        }
    }

    private static String text(ByteArrayOutputStream b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
