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
            Map.entry("build", "build [OPTIONS] PATH | URL | -"),
            Map.entry("image build", "image build [OPTIONS] PATH | URL | -"),
            Map.entry("pull", "pull [OPTIONS] NAME[:TAG|@DIGEST]"),
            Map.entry("image pull", "image pull [OPTIONS] NAME[:TAG|@DIGEST]"),
            Map.entry("push", "push [OPTIONS] NAME[:TAG]"),
            Map.entry("image push", "image push [OPTIONS] NAME[:TAG]"),
            Map.entry("login", "login [OPTIONS] [SERVER]"),
            Map.entry("logout", "logout [SERVER]"),
            Map.entry("system df", "system df [OPTIONS]"),
            Map.entry("builder prune", "builder prune"),
            Map.entry("registry serve", "registry serve --root DIR [OPTIONS]"),
            Map.entry("registry gc", "registry gc --root DIR [OPTIONS]"),
            Map.entry("system info", "system info [OPTIONS]"),
            Map.entry("events", "events [OPTIONS]"),
            Map.entry("system events", "system events [OPTIONS]"),
            Map.entry("create", "create [OPTIONS] IMAGE [COMMAND] [ARG...]"),
            Map.entry("container create", "container create [OPTIONS] IMAGE [COMMAND] [ARG...]"),
            Map.entry("run", "run [OPTIONS] IMAGE [COMMAND] [ARG...]"),
            Map.entry("container run", "container run [OPTIONS] IMAGE [COMMAND] [ARG...]"),
            Map.entry("exec", "exec [OPTIONS] CONTAINER COMMAND [ARG...]"),
            Map.entry("container exec", "container exec [OPTIONS] CONTAINER COMMAND [ARG...]"),
            Map.entry("ps", "ps [OPTIONS]"),
            Map.entry("container ps", "container ps [OPTIONS]"),
            Map.entry("start", "start [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("container start", "container start [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("stop", "stop [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("container stop", "container stop [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("restart", "restart [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("container restart", "container restart [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("kill", "kill [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("container kill", "container kill [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("pause", "pause CONTAINER [CONTAINER...]"),
            Map.entry("container pause", "container pause CONTAINER [CONTAINER...]"),
            Map.entry("unpause", "unpause CONTAINER [CONTAINER...]"),
            Map.entry("container unpause", "container unpause CONTAINER [CONTAINER...]"),
            Map.entry("wait", "wait CONTAINER [CONTAINER...]"),
            Map.entry("container wait", "container wait CONTAINER [CONTAINER...]"),
            Map.entry("attach", "attach [OPTIONS] CONTAINER"),
            Map.entry("container attach", "container attach [OPTIONS] CONTAINER"),
            Map.entry("logs", "logs [OPTIONS] CONTAINER"),
            Map.entry("container logs", "container logs [OPTIONS] CONTAINER"),
            Map.entry("top", "top CONTAINER [ps OPTIONS]"),
            Map.entry("container top", "container top CONTAINER [ps OPTIONS]"),
            Map.entry("stats", "stats [OPTIONS] [CONTAINER...]"),
            Map.entry("container stats", "container stats [OPTIONS] [CONTAINER...]"),
            Map.entry("cp", "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH"),
            Map.entry("container cp", "container cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth container cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH"),
            Map.entry("export", "export [OPTIONS] CONTAINER"),
            Map.entry("container export", "container export [OPTIONS] CONTAINER"),
            Map.entry("diff", "diff CONTAINER"),
            Map.entry("container diff", "container diff CONTAINER"),
            Map.entry("commit", "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]"),
            Map.entry("container commit", "container commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]"),
            Map.entry("rename", "rename CONTAINER NEW_NAME"),
            Map.entry("container rename", "container rename CONTAINER NEW_NAME"),
            Map.entry("update", "update [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("container update", "container update [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("rm", "rm [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("container rm", "container rm [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("container ls", "container ls [OPTIONS]"),
            Map.entry("container inspect", "container inspect [OPTIONS] CONTAINER [CONTAINER...]"),
            Map.entry("container prune", "container prune [OPTIONS]"),
            Map.entry("container", "container COMMAND"),
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
        cl.addSubcommand("inspect", new ContainerCommands.Inspect(true));
        cl.addSubcommand("history", new ImageCommands.History());
        cl.addSubcommand("tag", new ImageCommands.Tag());
        cl.addSubcommand("rmi", new ImageCommands.Rm());
        cl.addSubcommand("import", new ImageCommands.Import());
        cl.addSubcommand("load", new ImageCommands.Load());
        cl.addSubcommand("save", new ImageCommands.Save());
        cl.addSubcommand("build", new BuildCommand());
        cl.addSubcommand("pull", new RegistryCommands.Pull());
        cl.addSubcommand("push", new RegistryCommands.Push());
        cl.addSubcommand("login", new RegistryCommands.Login());
        cl.addSubcommand("logout", new RegistryCommands.Logout());

        addContainerCommands(cl, true);
        CommandLine container = new CommandLine(new Group());
        addContainerCommands(container, false);
        container.addSubcommand("ls", new ContainerCommands.Ps(), "list", "ps");
        container.addSubcommand("inspect", new ContainerCommands.Inspect(false));
        container.addSubcommand("prune", new ContainerCommands.Prune());
        cl.addSubcommand("container", container);

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
        image.addSubcommand("build", new BuildCommand());
        image.addSubcommand("pull", new RegistryCommands.Pull());
        image.addSubcommand("push", new RegistryCommands.Push());
        cl.addSubcommand("image", image);

        CommandLine system = new CommandLine(new Group());
        system.addSubcommand("df", new SystemCommands.Df());
        system.addSubcommand("info", new SystemCommands.Info());
        system.addSubcommand("events", new SystemCommands.Events());
        cl.addSubcommand("system", system);

        CommandLine builder = new CommandLine(new Group());
        builder.addSubcommand("prune", new BuilderCommands.Prune());
        builder.addSubcommand("build", new BuildCommand());
        cl.addSubcommand("builder", builder);

        CommandLine registry = new CommandLine(new Group());
        registry.addSubcommand("serve", new RegistryServerCommands.Serve());
        registry.addSubcommand("gc", new RegistryServerCommands.Gc());
        cl.addSubcommand("registry", registry);
        return cl;
    }

    private static void addContainerCommands(CommandLine cl, boolean top) {
        cl.addSubcommand("create", new RunCommands.Create());
        cl.addSubcommand("run", new RunCommands.Run());
        cl.addSubcommand("exec", new RunCommands.Exec());
        if (top) cl.addSubcommand("ps", new ContainerCommands.Ps());
        cl.addSubcommand("start", new ContainerCommands.Start());
        cl.addSubcommand("stop", new ContainerCommands.Stop());
        cl.addSubcommand("restart", new ContainerCommands.Restart());
        cl.addSubcommand("kill", new ContainerCommands.Kill());
        cl.addSubcommand("pause", new ContainerCommands.Pause());
        cl.addSubcommand("unpause", new ContainerCommands.Unpause());
        cl.addSubcommand("wait", new ContainerCommands.Wait());
        cl.addSubcommand("attach", new ContainerCommands.Attach());
        cl.addSubcommand("logs", new ContainerCommands.Logs());
        cl.addSubcommand("top", new ContainerCommands.Top());
        cl.addSubcommand("stats", new StatsCommand());
        cl.addSubcommand("cp", new CpCommand());
        cl.addSubcommand("diff", new ContainerCommands.Diff());
        cl.addSubcommand("export", new ContainerCommands.Export());
        cl.addSubcommand("commit", new ContainerCommands.Commit());
        cl.addSubcommand("rename", new ContainerCommands.Rename());
        cl.addSubcommand("update", new ContainerCommands.Update());
        if (top) cl.addSubcommand("rm", new ContainerCommands.Rm());
        else cl.addSubcommand("rm", new ContainerCommands.Rm(), "remove");
        for (String name : new String[] {"create", "run", "exec", "top"}) cl.getSubcommands().get(name).setStopAtPositional(true);
    }

    /** A command group: without a subcommand it prints its usage. */
    @CommandLine.Command
    static final class Group implements Runnable {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Option(names = "--help", usageHelp = true) boolean help;

        @Override public void run() { spec.commandLine().usage(Main.cli().out); }
    }
}
