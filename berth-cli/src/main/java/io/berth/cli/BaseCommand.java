package io.berth.cli;

import io.berth.client.BerthClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Base of every berth command: sets up the context and returns the exit code. */
abstract class BaseCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--help", usageHelp = true, description = "Print usage") boolean help;

    Cli cli;

    @Override public final Integer call() throws Exception { return runAs(Main.cli(), spec.qualifiedName()); }

    /** Runs with {@code cli} as the command named {@code qualifiedName} ({@code berth ps}); returns the exit code. */
    final int runAs(Cli cli, String qualifiedName) throws Exception {
        this.cli = cli;
        cli.commandName = qualifiedName;
        return execute();
    }

    abstract int execute() throws Exception;

    BerthClient client() { return cli.client(); }
}
