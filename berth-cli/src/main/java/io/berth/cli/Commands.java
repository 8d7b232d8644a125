package io.berth.cli;

import java.util.Map;
import picocli.CommandLine;

/** The command tree: top-level docker-style shortcuts plus the {@code image} and {@code system} groups. */
final class Commands {
    private Commands() {}

    /** docker's "Use" lines, by qualified command name without the root. */
    private static final Map<String, String> USAGE = Map.ofEntries(
            Map.entry("version", "version [OPTIONS]"),
            Map.entry("info", "info [OPTIONS]"),
            Map.entry("images", "images [OPTIONS] [REPOSITORY[:TAG]]"),
            Map.entry("image ls", "image ls [OPTIONS] [REPOSITORY[:TAG]]"),
            Map.entry("inspect", "inspect [OPTIONS] NAME|ID [NAME|ID...]"),
            Map.entry("image inspect", "image inspect [OPTIONS] IMAGE [IMAGE...]"),
            Map.entry("history", "history [OPTIONS] IMAGE"),
            Map.entry("image history", "image history [OPTIONS] IMAGE"),
            Map.entry("tag", "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]"),
            Map.entry("image tag", "image tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]"),
            Map.entry("rmi", "rmi [OPTIONS] IMAGE [IMAGE...]"),
            Map.entry("image rm", "image rm [OPTIONS] IMAGE [IMAGE...]"),
            Map.entry("import", "import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]"),
            Map.entry("image import", "image import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]"),
            Map.entry("load", "load [OPTIONS]"),
            Map.entry("image load", "image load [OPTIONS]"),
            Map.entry("save", "save [OPTIONS] IMAGE [IMAGE...]"),
            Map.entry("image save", "image save [OPTIONS] IMAGE [IMAGE...]"),
            Map.entry("image prune", "image prune [OPTIONS]"),
            Map.entry("system df", "system df [OPTIONS]"),
            Map.entry("system info", "system info [OPTIONS]"),
            Map.entry("events", "events [OPTIONS]"),
            Map.entry("system events", "system events [OPTIONS]"),
            Map.entry("image", "image COMMAND"),
            Map.entry("system", "system COMMAND"));

    static String usageLine(CommandLine c) {
        String q = c.getCommandSpec().qualifiedName();
        String rest = q.startsWith("berth ") ? q.substring(6) : "";
        String u = USAGE.get(rest);
        return "berth " + (u == null ? rest + " [OPTIONS]" : u);
    }

    static CommandLine build(Main root) {
        CommandLine cl = new CommandLine(root);
        cl.addSubcommand("version", new SystemCommands.Version());
        cl.addSubcommand("info", new SystemCommands.Info());
        cl.addSubcommand("events", new SystemCommands.Events());
        cl.addSubcommand("images", new ImageCommands.Ls());
        cl.addSubcommand("inspect", new ImageCommands.Inspect(true));
        cl.addSubcommand("history", new ImageCommands.History());
        cl.addSubcommand("tag", new ImageCommands.Tag());
        cl.addSubcommand("rmi", new ImageCommands.Rm());
        cl.addSubcommand("import", new ImageCommands.Import());
        cl.addSubcommand("load", new ImageCommands.Load());
        cl.addSubcommand("save", new ImageCommands.Save());

        CommandLine image = new CommandLine(new Group());
        image.addSubcommand("ls", new ImageCommands.Ls(), "list");
        image.addSubcommand("inspect", new ImageCommands.Inspect(false));
        image.addSubcommand("history", new ImageCommands.History());
        image.addSubcommand("tag", new ImageCommands.Tag());
        image.addSubcommand("rm", new ImageCommands.Rm(), "remove", "rmi");
        image.addSubcommand("import", new ImageCommands.Import());
        image.addSubcommand("load", new ImageCommands.Load());
        image.addSubcommand("save", new ImageCommands.Save());
        image.addSubcommand("prune", new ImageCommands.Prune());
        cl.addSubcommand("image", image);

        CommandLine system = new CommandLine(new Group());
        system.addSubcommand("df", new SystemCommands.Df());
        system.addSubcommand("info", new SystemCommands.Info());
        system.addSubcommand("events", new SystemCommands.Events());
        cl.addSubcommand("system", system);
        return cl;
    }

    /** A command group: without a subcommand it prints its usage. */
    @CommandLine.Command
    static final class Group implements Runnable {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Option(names = "--help", usageHelp = true) boolean help;

        @Override public void run() { spec.commandLine().usage(Main.cli().out); }
    }
}
