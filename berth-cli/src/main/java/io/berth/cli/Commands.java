package io.berth.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
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

    static String usageLine(CommandLine c) { return usageLine(c.getCommandSpec().qualifiedName()); }

    /** docker's usage line of the command with qualified name {@code q} ({@code berth image ls}). */
    static String usageLine(String q) {
        String rest = q.startsWith("berth ") ? q.substring(6) : "";
        String u = USAGE.get(rest);
        return "berth " + (u == null ? rest + " [OPTIONS]" : u);
    }

    /** One node of the command tree: a command, or a group of commands ({@code image}, {@code container} …). */
    sealed interface Node permits Leaf, Branch {
        String name();
    }

    /**
     * A command: its name, aliases and how to make its (annotated) object. Only the invoked command's object is
     * made, so only its classes load and only its options are reflected on.
     */
    record Leaf(String name, List<String> aliases, Supplier<Object> factory, boolean stopAtPositional) implements Node {
        Leaf(String name, Supplier<Object> factory, String... aliases) { this(name, List.of(aliases), factory, false); }

        boolean answersTo(String word) { return name.equals(word) || aliases.contains(word); }

        void addTo(CommandLine parent) {
            parent.addSubcommand(name, factory.get(), aliases.toArray(String[]::new));
            if (stopAtPositional) parent.getSubcommands().get(name).setStopAtPositional(true);
        }
    }

    /** A command group; without a subcommand it prints its usage. */
    record Branch(String name, List<Leaf> leaves) implements Node {
        CommandLine commandLine(List<Leaf> only) {
            CommandLine group = new CommandLine(new Group());
            for (Leaf l : only) l.addTo(group);
            return group;
        }
    }

    /** The whole tree, in the order {@code berth --help} lists it. */
    static final List<Node> TREE = tree();

    private static List<Node> tree() {
        List<Node> top = new ArrayList<>(List.of(
                new Leaf("version", SystemCommands.Version::new),
                new Leaf("info", SystemCommands.Info::new),
                new Leaf("events", SystemCommands.Events::new),
                new Leaf("images", ImageCommands.Ls::new),
                new Leaf("inspect", () -> new ContainerCommands.Inspect(true)),
                new Leaf("history", ImageCommands.History::new),
                new Leaf("tag", ImageCommands.Tag::new),
                new Leaf("rmi", ImageCommands.Rm::new),
                new Leaf("import", ImageCommands.Import::new),
                new Leaf("load", ImageCommands.Load::new),
                new Leaf("save", ImageCommands.Save::new),
                new Leaf("build", BuildCommand::new),
                new Leaf("pull", RegistryCommands.Pull::new),
                new Leaf("push", RegistryCommands.Push::new),
                new Leaf("login", RegistryCommands.Login::new),
                new Leaf("logout", RegistryCommands.Logout::new)));
        top.addAll(containerCommands(true));
        List<Leaf> container = new ArrayList<>(containerCommands(false));
        container.add(new Leaf("ls", ContainerCommands.Ps::new, "list", "ps"));
        container.add(new Leaf("inspect", () -> new ContainerCommands.Inspect(false)));
        container.add(new Leaf("prune", ContainerCommands.Prune::new));
        top.add(new Branch("container", container));
        top.add(new Branch("image", List.of(
                new Leaf("ls", ImageCommands.Ls::new, "list"),
                new Leaf("inspect", () -> new ImageCommands.Inspect(false)),
                new Leaf("history", ImageCommands.History::new),
                new Leaf("tag", ImageCommands.Tag::new),
                new Leaf("rm", ImageCommands.Rm::new, "remove", "rmi"),
                new Leaf("import", ImageCommands.Import::new),
                new Leaf("load", ImageCommands.Load::new),
                new Leaf("save", ImageCommands.Save::new),
                new Leaf("prune", ImageCommands.Prune::new),
                new Leaf("build", BuildCommand::new),
                new Leaf("pull", RegistryCommands.Pull::new),
                new Leaf("push", RegistryCommands.Push::new))));
        top.add(new Branch("system", List.of(
                new Leaf("df", SystemCommands.Df::new),
                new Leaf("info", SystemCommands.Info::new),
                new Leaf("events", SystemCommands.Events::new))));
        top.add(new Branch("builder", List.of(
                new Leaf("prune", BuilderCommands.Prune::new),
                new Leaf("build", BuildCommand::new))));
        top.add(new Branch("registry", List.of(
                new Leaf("serve", RegistryServerCommands.Serve::new),
                new Leaf("gc", RegistryServerCommands.Gc::new))));
        return List.copyOf(top);
    }

    private static List<Leaf> containerCommands(boolean top) {
        List<Leaf> l = new ArrayList<>();
        l.add(new Leaf("create", List.of(), RunCommands.Create::new, true));
        l.add(new Leaf("run", List.of(), RunCommands.Run::new, true));
        l.add(new Leaf("exec", List.of(), RunCommands.Exec::new, true));
        if (top) l.add(new Leaf("ps", ContainerCommands.Ps::new));
        l.add(new Leaf("start", ContainerCommands.Start::new));
        l.add(new Leaf("stop", ContainerCommands.Stop::new));
        l.add(new Leaf("restart", ContainerCommands.Restart::new));
        l.add(new Leaf("kill", ContainerCommands.Kill::new));
        l.add(new Leaf("pause", ContainerCommands.Pause::new));
        l.add(new Leaf("unpause", ContainerCommands.Unpause::new));
        l.add(new Leaf("wait", ContainerCommands.Wait::new));
        l.add(new Leaf("attach", ContainerCommands.Attach::new));
        l.add(new Leaf("logs", ContainerCommands.Logs::new));
        l.add(new Leaf("top", List.of(), ContainerCommands.Top::new, true));
        l.add(new Leaf("stats", StatsCommand::new));
        l.add(new Leaf("cp", CpCommand::new));
        l.add(new Leaf("diff", ContainerCommands.Diff::new));
        l.add(new Leaf("export", ContainerCommands.Export::new));
        l.add(new Leaf("commit", ContainerCommands.Commit::new));
        l.add(new Leaf("rename", ContainerCommands.Rename::new));
        l.add(new Leaf("update", ContainerCommands.Update::new));
        l.add(top ? new Leaf("rm", ContainerCommands.Rm::new) : new Leaf("rm", ContainerCommands.Rm::new, "remove"));
        return l;
    }

    /** The whole command tree (for {@code berth --help}, unknown commands and anything {@link #forArgs} cannot place). */
    static CommandLine build(Main root) {
        CommandLine cl = new CommandLine(root);
        for (Node n : TREE) {
            switch (n) {
                case Leaf l -> l.addTo(cl);
                case Branch b -> cl.addSubcommand(b.name(), b.commandLine(b.leaves()));
            }
        }
        return cl;
    }

    /** The command a command line invokes: {@code leaf}, inside {@code group} unless that is null (a top-level command). */
    record Invoked(Branch group, Leaf leaf) {}

    /**
     * The tree a command line needs: the root with only the invoked command (and its group), found by skipping the
     * root's own flags ({@code -H/--host VALUE}, {@code -D/--debug}). Anything else — no command, an unknown word,
     * another root flag, a group without a known subcommand — gets the whole tree, so help and errors stay picocli's.
     */
    static CommandLine forArgs(Main root, String[] args) {
        Invoked inv = resolve(args).orElse(null);
        if (inv == null) return build(root);
        CommandLine cl = new CommandLine(root);
        if (inv.group() == null) inv.leaf().addTo(cl);
        else cl.addSubcommand(inv.group().name(), inv.group().commandLine(List.of(inv.leaf())));
        return cl;
    }

    /** The command {@code args} invoke, when it is certain without parsing its options. */
    static Optional<Invoked> resolve(String[] args) {
        int i = commandIndex(args);
        if (i < 0) return Optional.empty();
        for (Node n : TREE) {
            if (!n.name().equals(args[i])) continue;
            switch (n) {
                case Leaf l -> { return Optional.of(new Invoked(null, l)); }
                case Branch b -> {
                    if (i + 1 < args.length) {
                        for (Leaf l : b.leaves()) if (l.answersTo(args[i + 1])) return Optional.of(new Invoked(b, l));
                    }
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Index of the first word after the root's flags, or -1 when there is none or a flag {@link #forArgs} leaves to picocli. */
    private static int commandIndex(String[] args) {
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("-H") || a.equals("--host")) i += 2;
            else if (a.startsWith("--host=") || (a.startsWith("-H") && a.length() > 2) || a.equals("-D") || a.equals("--debug")) i++;
            else if (a.startsWith("-")) return -1;
            else return i;
        }
        return -1;
    }

    /** A command group: without a subcommand it prints its usage. */
    @CommandLine.Command
    static final class Group implements Runnable {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Option(names = "--help", usageHelp = true) boolean help;

        @Override public void run() { spec.commandLine().usage(Main.cli().out); }
    }
}
