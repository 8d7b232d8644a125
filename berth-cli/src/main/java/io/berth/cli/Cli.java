package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.DaemonHost;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** What a command runs with: streams, environment, the daemon client, terminal facts and the clock. */
final class Cli {
    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    final boolean stdinTerminal;
    final boolean stdoutTerminal;
    Clock clock = Clock.systemUTC();
    String host;
    boolean debug;
    String commandName = "berth";
    private BerthClient client;

    Cli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean stdinTerminal, boolean stdoutTerminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
        this.stdinTerminal = stdinTerminal;
        this.stdoutTerminal = stdoutTerminal;
    }

    BerthClient client() {
        if (client == null) client = new BerthClient(DaemonHost.select(host, env), "Berth-Client/" + Main.VERSION + " (linux)");
        return client;
    }

    /** docker prints cp's progress line only to a terminal; tests never have one. */
    boolean stderrTerminal() { return stdoutTerminal && isTerminal(2); }

    /** True when file descriptor {@code fd} of this process is a terminal. */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (Exception e) {
            return false;
        }
    }
}
