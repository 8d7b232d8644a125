package io.berth.cli;

import io.berth.cli.format.TemplateException;
import io.berth.client.ApiException;
import io.berth.client.DaemonUnavailableException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth}: the entry point. Exit codes as docker: 0 ok, 1 error, 125 flag errors. */
@Command(name = "berth", mixinStandardHelpOptions = false, description = "A self-sufficient runtime for containers")
public final class Main implements Runnable {
    static final String VERSION = "0.1.0";

    @Option(names = {"-H", "--host"}, description = "Daemon socket to connect to") String host;
    @Option(names = {"-D", "--debug"}, description = "Enable debug mode") boolean debug;
    @Option(names = {"-v", "--version"}, description = "Print version information and quit") boolean version;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print usage") boolean help;

    private static Cli current;

    static Cli cli() { return current; }

    @Override public void run() {
        if (version) {
            current.out.println("Berth version " + VERSION + ", build dev");
            return;
        }
        new CommandLine(this).usage(current.out);
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        Cli cli = new Cli(System.in, out, err, System.getenv(), Cli.isTerminal(0), Cli.isTerminal(1));
        current = cli;
        FastPath.Invocation fast = FastPath.parse(args).orElse(null);
        int rc = fast != null ? fast.run(cli) : runParsed(cli, args);
        out.flush();
        err.flush();
        // version and ps register no shutdown hook and leave nothing open: halting spares them System.exit's look-up
        // of a System.Logger, which opens every jar of the class path
        if (fast != null) Runtime.getRuntime().halt(rc);
        System.exit(rc);
    }

    /** Runs one command line; returns the exit code. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                          boolean stdinTerminal, boolean stdoutTerminal) {
        return run(new Cli(in, out, err, env, stdinTerminal, stdoutTerminal), args);
    }

    /** For tests: no terminals, a fixed clock. */
    static int runWithClock(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env, java.time.Clock clock) {
        Cli cli = new Cli(in, out, err, env, false, false);
        cli.clock = clock;
        return run(cli, args);
    }

    /** Runs one command line with {@code cli}: through {@link FastPath} when it takes it, else through picocli. */
    static int run(Cli cli, String[] args) {
        current = cli;
        FastPath.Invocation fast = FastPath.parse(args).orElse(null);
        return fast != null ? fast.run(cli) : runParsed(cli, args);
    }

    /** Runs one command line through picocli (every command line {@link FastPath} does not take). */
    static int runParsed(Cli cli, String[] args) {
        PrintStream out = cli.out, err = cli.err;
        current = cli;
        Main root = new Main();
        CommandLine cl = Commands.forArgs(root, args);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            String msg = ex.getMessage();
            if (ex.getCause() instanceof Opts.FlagValueException fv && ex.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
                msg = "invalid argument \"" + ex.getValue() + "\" for \"" + flagDisplay(o) + "\" flag: " + fv.getMessage();
            } else if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
                String bad = u.getUnmatched().getFirst();
                if (bad.startsWith("--")) msg = "unknown flag: " + bad.split("=", 2)[0];
                else if (bad.startsWith("-") && bad.length() > 1) msg = "unknown shorthand flag: '" + bad.charAt(1) + "' in " + bad;
                else if (c == cl || c.getSubcommands().size() > 0) {
                    err.println("berth: '" + bad + "' is not a berth command.");
                    err.println("See 'berth --help'");
                    return 1;
                }
            } else if (ex instanceof CommandLine.MissingParameterException) {
                msg = msg.replaceFirst("^Missing required parameter for option '([^']*)'.*", "flag needs an argument: $1");
            }
            err.println(msg);
            err.println();
            err.println("Usage:  " + Commands.usageLine(c));
            err.println();
            err.println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for more information");
            return 125;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> handle(ex, c.getCommandSpec().qualifiedName(), cli));
        cl.setExecutionStrategy(parsed -> {
            cli.host = root.host;
            cli.debug = root.debug;
            return new CommandLine.RunLast().execute(parsed);
        });
        return cl.execute(args);
    }

    /** Prints what a command's exception means, as docker does, and returns the exit code; {@code command} is its qualified name. */
    static int handle(Exception ex, String command, Cli cli) {
        Throwable e = ex;
        if (e instanceof UncheckedIOException u && u.getCause() != null) e = u.getCause();
        switch (e) {
            case UsageException u -> {
                cli.err.println("berth: " + u.getMessage());
                cli.err.println();
                cli.err.println("Usage:  " + Commands.usageLine(command));
                cli.err.println();
                cli.err.println(u.hintVerb + " '" + command + " --help' for more information");
                return u.exitCode;
            }
            case Opts.InvalidValue v -> {
                cli.err.println("berth: " + v.getMessage());
                cli.err.println();
                cli.err.println("Run '" + command + " --help' for more information");
                return 125;
            }
            case ApiException a -> cli.err.println(a.displayMessage());
            case DaemonUnavailableException d -> cli.err.println(d.getMessage());
            case TemplateException t -> cli.err.println(t.getMessage());
            case CliException s -> {
                if (!s.getMessage().isEmpty()) cli.err.println(s.getMessage());
                return s.exitCode;
            }
            default -> {
                cli.err.println(e.getMessage() == null ? e.toString() : e.getMessage());
                if (cli.debug) e.printStackTrace(cli.err);
            }
        }
        return 1;
    }

    /** pflag's flag name in errors: {@code -m, --memory} or {@code --cpus}. */
    static String flagDisplay(CommandLine.Model.OptionSpec o) {
        String shortName = null, longName = null;
        for (String n : o.names()) {
            if (n.startsWith("--")) longName = n;
            else if (n.startsWith("-") && n.length() == 2) shortName = n;
        }
        if (longName == null) return shortName;
        return shortName == null ? longName : shortName + ", " + longName;
    }

    /** An error with a message printed as is and an exit code. */
    static final class CliException extends RuntimeException {
        final int exitCode;

        CliException(String message) { this(message, 1); }

        CliException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    static void requireArgs(List<String> args, int min, int max) {
        String name = "'" + current.commandName + "'";
        if (max == 0 && !args.isEmpty()) throw new UsageException(name + " accepts no arguments", 1, "Run");
        if (min != max && max != Integer.MAX_VALUE && (args.size() < min || args.size() > max))
            throw new UsageException(name + " requires at least " + min + " and at most " + max + (max == 1 ? " argument" : " arguments"), 1, "Run");
        if (min == max && args.size() != min)
            throw new UsageException(name + " requires " + (min == 1 ? "1 argument" : min + " arguments"), 1, "Run");
        if (args.size() < min) throw new UsageException(name + " requires at least " + min + (min == 1 ? " argument" : " arguments"), 1, "See");
        if (args.size() > max) throw new UsageException(name + " requires at most " + max + (max == 1 ? " argument" : " arguments"), 1, "See");
    }
}
