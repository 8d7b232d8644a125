package io.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.api.errors.BerthException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the OCI runtime's command line ({@code runc --root <root> --log-format json …}). */
final class Runc {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;
    private final Path root;

    Runc(Path binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    Path binary() {
        return binary;
    }

    Path root() {
        return root;
    }

    /** The global arguments conmon must pass to the runtime. */
    List<String> globalArgs() {
        return List.of("--root=" + root, "--log-format=json");
    }

    /** Runs a runtime command and returns its stdout; a failure carries the runtime's message. */
    String run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(globalArgs());
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
            throw new BerthException.Unavailable("cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException.SystemError("interrupted while running " + binary, e);
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
        return msg.isEmpty() ? text : msg.toString();
    }
}
