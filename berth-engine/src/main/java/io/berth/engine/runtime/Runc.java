package io.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.api.errors.BerthException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an OCI runtime's command line ({@code runc --root <root> --log-format json …}, crun alike),
 * behind its {@link RuntimeLauncher} ({@code berth-runtime-ns} for crun on a hybrid cgroup host).
 */
final class Runc {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RuntimeLauncher launcher;
    private final ConfiguredRuntime runtime;
    private final Path root;

    /** {@code launcher} is put before the binary; {@code root} is its state directory. */
    Runc(RuntimeLauncher launcher, ConfiguredRuntime runtime, Path root) {
        this.launcher = launcher;
        this.runtime = runtime;
        this.root = root;
    }

    ConfiguredRuntime runtime() {
        return runtime;
    }

    /** The runtime's state directory of a container. */
    Path stateDir(String id) {
        return root.resolve(id);
    }

    /**
     * Commands that set up no cgroup (crun 1.8 refuses a hybrid host only there: state, the exec FIFO, signals, and
     * delete, which removes the cgroup directories it recorded), run without the launcher: one exec and one mount
     * namespace fewer on the start and removal paths.
     */
    private static final java.util.Set<String> NO_LAUNCHER = java.util.Set.of("start", "kill", "state", "delete");

    /**
     * The argv up to the command: launcher, binary, configured runtime arguments, root and JSON logs;
     * {@link io.berth.api.errors.BerthException.Unavailable} when the runtime cannot run here.
     */
    List<String> prefix() {
        return prefixed(launcher.prefix());
    }

    /** {@link #prefix()} with {@code launcherArgs} given to the launcher; without a launcher they are left out. */
    List<String> prefix(List<String> launcherArgs) {
        List<String> l = launcher.prefix();
        if (l.isEmpty() || launcherArgs.isEmpty()) return prefixed(l);
        List<String> withArgs = new ArrayList<>(l);
        withArgs.addAll(launcherArgs);
        return prefixed(withArgs);
    }

    private List<String> prefixed(List<String> launcher) {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(runtime.binary().toString());
        cmd.addAll(runtime.args());
        cmd.add("--root=" + root);
        cmd.add("--log-format=json");
        return cmd;
    }

    /** Runs a runtime command and returns its stdout; a failure carries the runtime's message. */
    String run(String... args) {
        List<String> cmd = args.length > 0 && NO_LAUNCHER.contains(args[0]) ? prefixed(List.of()) : prefix();
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] err;
            byte[] out;
            try (var es = p.getErrorStream(); var os = p.getInputStream()) {
                // stderr is small; read it on a virtual thread while stdout is drained here
                var errBox = new byte[][] {null};
                Thread errReader = Thread.ofVirtual().start(() -> {
                    try {
                        errBox[0] = es.readAllBytes();
                    } catch (IOException e) {
                        errBox[0] = e.toString().getBytes(StandardCharsets.UTF_8);
                    }
                });
                out = os.readAllBytes();
                errReader.join();
                err = errBox[0];
            }
            int rc = p.waitFor();
            if (rc != 0) {
                throw RuntimeErrors.fromRuntime(args.length > 0 ? args[0] : "", errorMessage(err));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BerthException.Unavailable("cannot run " + runtime.binary() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException.SystemError("interrupted while running " + runtime.binary(), e);
        }
    }

    /** The "msg" of runc's JSON log lines at level error (or all of stderr if it is not JSON). */
    static String errorMessage(byte[] stderr) {
        String text = new String(stderr, StandardCharsets.UTF_8).strip();
        StringBuilder msg = new StringBuilder();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (!line.startsWith("{")) continue;
            try {
                JsonNode n = JSON.readTree(line);
                if ("error".equals(n.path("level").asText()) || "fatal".equals(n.path("level").asText())) {
                    if (!msg.isEmpty()) msg.append("; ");
                    msg.append(n.path("msg").asText());
                }
            } catch (IOException ignored) {
                // not a JSON log line: fall back to the raw text below
            }
        }
        return inRuncsWords(msg.isEmpty() ? text : msg.toString());
    }

    private static final java.util.regex.Pattern CRUN_NOT_FOUND =
            java.util.regex.Pattern.compile("executable file `([^`]*)` not found in \\$PATH: No such file or directory");

    /**
     * crun's start failures in runc's words, which Docker's clients know (and which decide the exit code
     * Docker reports: 127, 126): {@code executable file `x` not found in $PATH: No such file or directory}
     * and {@code open executable: Operation not permitted} (a directory) or {@code Permission denied}.
     */
    static String inRuncsWords(String message) {
        var m = CRUN_NOT_FOUND.matcher(message);
        if (m.find()) {
            return m.replaceFirst(java.util.regex.Matcher.quoteReplacement(
                    "unable to start container process: exec: \"" + m.group(1) + "\": executable file not found in $PATH"));
        }
        return message.replace("open executable: Operation not permitted", "unable to start container process: open executable: permission denied")
                .replace("open executable: Permission denied", "unable to start container process: open executable: permission denied");
    }
}
