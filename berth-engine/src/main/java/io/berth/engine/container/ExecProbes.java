package io.berth.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.engine.content.AtomicFiles;
import io.berth.engine.runtime.OciCommands;
import io.berth.engine.runtime.spec.OciProcess;
import io.berth.engine.sys.Unix;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Health probes as the runtime's exec ({@code runc exec --process}), as {@link ExecManager} runs {@code docker exec}:
 * the container's process (user, working directory, capabilities) with the probe's command and the container's
 * environment, no terminal, stdout and stderr together into a {@link ProbeOutput}. A probe still running at the
 * timeout, or when the monitor stops, is killed with SIGKILL inside the container.
 */
public final class ExecProbes implements HealthProbes {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SIGKILL = 9;
    /** How long output may still arrive after the probe exited (a child of it may hold the pipe). */
    private static final long DRAIN_MS = 500;

    private final ContainerRootfs rootfs;
    private final OciCommands runc;
    private final Path dir;

    /** @param dir a short directory for the probes' process specs and pid files */
    public ExecProbes(ContainerRootfs rootfs, OciCommands runc, Path dir) {
        this.rootfs = rootfs;
        this.runc = runc;
        this.dir = dir;
    }

    @Override public Outcome run(Container c, List<String> argv, Duration timeout) throws InterruptedException {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        Path d = dir.resolve(HexFormat.of().formatHex(b));
        try {
            Files.createDirectories(d);
            Files.write(d.resolve("process.json"), Json.plain().writeValueAsBytes(processSpec(c, argv).node()));
            ProcessBuilder pb = new ProcessBuilder(runc.command(c.id(), List.of("--log", d.resolve("runc.log").toString(), "exec",
                    "--process", d.resolve("process.json").toString(), "--pid-file", d.resolve("pid").toString(), c.id())));
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true);
            Process p = pb.start();
            ProbeOutput out = new ProbeOutput();
            Thread reader = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
            try {
                if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    kill(d, p);
                    return new Outcome.TimedOut();
                }
            } catch (InterruptedException e) {
                kill(d, p);
                throw e;
            }
            reader.join(DRAIN_MS);
            p.getInputStream().close();
            int code = p.exitValue();
            if (code == 255) {
                String error = runtimeError(d);
                if (error != null) return new Outcome.Failed("OCI runtime exec failed: " + error + ": unknown");
            }
            return new Outcome.Exited(code, out.toString());
        } catch (IOException e) {
            return new Outcome.Failed("exec in " + c.id() + ": " + e.getMessage());
        } finally {
            try {
                AtomicFiles.deleteTree(d);
            } catch (IOException ignored) {
                // a leftover under the exec root goes with the next boot
            }
        }
    }

    /** The container's process from its bundle, running {@code argv} with the container's environment. */
    private OciProcess processSpec(Container c, List<String> argv) throws IOException {
        JsonNode bundleSpec = Json.plain().readTree(rootfs.bundle(c.id()).resolve("config.json").toFile());
        Map<String, String> env = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(OciProcess.defaultEnv(c.config().hostname(), false));
        if (c.config().env() != null) all.addAll(c.config().env());
        for (String kv : all) {
            int eq = kv.indexOf('=');
            env.put(eq < 0 ? kv : kv.substring(0, eq), kv);
        }
        return OciProcess.copyOf(bundleSpec.path("process")).args(argv).env(List.copyOf(env.values()))
                .terminal(false).consoleSize(null);
    }

    private static void copy(InputStream in, ProbeOutput out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // closed after the probe ended
        }
    }

    /** SIGKILL to the probe's process in the container (its pid is in the pid file once it runs), then to runc. */
    private static void kill(Path d, Process p) {
        try {
            String pid = Files.readString(d.resolve("pid")).strip();
            if (!pid.isEmpty()) Unix.get().kill(Integer.parseInt(pid), SIGKILL);
        } catch (IOException | NumberFormatException ignored) {
            // not started yet, or gone
        }
        p.destroyForcibly();
        try {
            p.getInputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private String runtimeError(Path d) {
        try {
            String msg = runc.errorMessage(Files.readAllBytes(d.resolve("runc.log")));
            return msg.isBlank() ? null : msg;
        } catch (IOException e) {
            return null; // no log: the probe itself exited 255
        }
    }
}
