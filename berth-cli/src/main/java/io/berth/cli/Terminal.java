package io.berth.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The local terminal through {@code stty} on {@code /dev/tty}: raw mode and its size. */
final class Terminal {
    private Terminal() {}

    private static String stty(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) throw new IOException("stty " + String.join(" ", args) + " failed");
        return out;
    }

    /** Puts the terminal in raw mode; the returned action restores it (also registered as a shutdown hook). */
    static Runnable makeRaw() {
        try {
            String saved = stty("-g");
            stty("raw", "-echo");
            Thread hook = new Thread(() -> restore(saved));
            Runtime.getRuntime().addShutdownHook(hook);
            return () -> {
                restore(saved);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down already
                }
            };
        } catch (IOException | InterruptedException e) {
            return () -> { };
        }
    }

    private static void restore(String saved) {
        try {
            stty(saved);
        } catch (IOException | InterruptedException ignored) {
            // nothing more to do
        }
    }

    /** {@code {rows, cols}}, or null when unknown. */
    static int[] size() {
        try {
            String[] p = stty("size").split("\\s+");
            return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
        } catch (IOException | InterruptedException | RuntimeException e) {
            return null;
        }
    }
}
