package io.berth.engine.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a short command (ip, iptables, unshare) and fails with its stderr when it exits non-zero. */
final class Cmd {
    private Cmd() {}

    /** The result of a command: exit code and combined output. */
    record Result(int code, String output) {}

    static Result exec(List<String> argv, String stdin) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out;
        try (InputStream o = p.getInputStream()) {
            out = new String(o.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        try {
            return new Result(p.waitFor(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.getFirst());
        }
    }

    static String run(List<String> argv, String stdin) throws IOException {
        Result r = exec(argv, stdin);
        if (r.code() != 0) {
            throw new IOException(String.join(" ", argv.subList(0, Math.min(3, argv.size()))) + ": " + r.output());
        }
        return r.output();
    }

    static String run(String... argv) throws IOException { return run(List.of(argv), null); }
}
