package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandsTest {
    /** Every command (with its aliases) the CLI had when the whole tree was built for every command line. */
    private static final List<String> ALL = List.of(
            "version", "info", "events", "images", "inspect", "history", "tag", "rmi", "import", "load", "save", "build",
            "pull", "push", "login", "logout",
            "create", "run", "exec", "ps", "start", "stop", "restart", "kill", "pause", "unpause", "wait", "attach", "logs",
            "top", "stats", "cp", "diff", "export", "commit", "rename", "update", "rm",
            "container create", "container run", "container exec", "container start", "container stop",
            "container restart", "container kill", "container pause", "container unpause", "container wait",
            "container attach", "container logs", "container top", "container stats", "container cp", "container diff",
            "container export", "container commit", "container rename", "container update", "container rm|remove",
            "container ls|list|ps", "container inspect", "container prune",
            "image ls|list", "image inspect", "image history", "image tag", "image rm|remove|rmi", "image import",
            "image load", "image save", "image prune", "image build", "image pull", "image push",
            "system df", "system info", "system events",
            "builder prune", "builder build",
            "registry serve", "registry gc");

    @Test
    void theWholeTreeHasEveryCommandItHadBefore() {
        List<String> names = new ArrayList<>();
        walk(Commands.build(new Main()), "", names);
        assertThat(names).containsExactlyElementsOf(ALL);
    }

    @Test
    void everyCommandAndAliasResolvesToAOneCommandTreeLikeTheWholeOnes() {
        CommandLine whole = Commands.build(new Main());
        int checked = 0;
        for (String entry : ALL) {
            String[] words = entry.split(" ");
            String[] names = words[words.length - 1].split("\\|");
            CommandLine expected = words.length == 1 ? whole.getSubcommands().get(names[0])
                    : whole.getSubcommands().get(words[0]).getSubcommands().get(names[0]);
            for (String name : names) {
                String[] args = words.length == 1 ? new String[] {"-H", "unix:///x.sock", name, "--help"}
                        : new String[] {"-H", "unix:///x.sock", words[0], name, "--help"};
                CommandLine root = Commands.forArgs(new Main(), args);
                assertThat(root.getSubcommands()).hasSize(1);
                CommandLine parent = words.length == 1 ? root : root.getSubcommands().get(words[0]);
                assertThat(parent.getSubcommands().keySet()).containsExactlyInAnyOrder(names);
                CommandLine actual = parent.getSubcommands().get(name);
                assertThat(actual.getCommandSpec().userObject()).isInstanceOf(expected.getCommandSpec().userObject().getClass());
                assertThat(actual.getCommandSpec().qualifiedName()).isEqualTo(expected.getCommandSpec().qualifiedName());
                assertThat(actual.isStopAtPositional()).as(entry).isEqualTo(expected.isStopAtPositional());
                assertThat(actual.getCommandSpec().options().stream().map(o -> o.longestName()).toList())
                        .isEqualTo(expected.getCommandSpec().options().stream().map(o -> o.longestName()).toList());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(87);
    }

    @Test
    void theRootsOwnFlagsAreSkipped() {
        for (List<String> args : List.of(List.of("ps"), List.of("-H", "unix:///x", "ps"), List.of("--host", "unix:///x", "ps"),
                List.of("--host=unix:///x", "ps"), List.of("-Hunix:///x", "ps"), List.of("-D", "ps"), List.of("--debug", "ps", "-a"),
                List.of("-D", "-H", "tcp://1.2.3.4:2375", "ps", "--format", "{{.ID}}"))) {
            assertThat(Commands.resolve(args.toArray(String[]::new))).as(args.toString())
                    .hasValueSatisfying(i -> assertThat(i.leaf().name()).isEqualTo("ps"));
        }
        assertThat(Commands.resolve(new String[] {"container", "list", "-q"}))
                .hasValueSatisfying(i -> assertThat(Map.of(i.group().name(), i.leaf().name())).isEqualTo(Map.of("container", "ls")));
    }

    @Test
    void whatIsNotCertainGetsTheWholeTree() {
        for (List<String> args : List.<List<String>>of(List.of(), List.of("-H", "unix:///x"), List.of("--help"), List.of("-v"), List.of("-Dv", "ps"),
                List.of("--", "ps"), List.of("bogus"), List.of("image"), List.of("image", "--help"), List.of("image", "bogus"),
                List.of("system", "prune"))) {
            String[] a = args.toArray(String[]::new);
            assertThat(Commands.resolve(a)).as(args.toString()).isEmpty();
            assertThat(Commands.forArgs(new Main(), a).getSubcommands()).hasSize(Commands.TREE.size());
        }
    }

    private static void walk(CommandLine c, String prefix, List<String> out) {
        for (Map.Entry<String, CommandLine> e : c.getSubcommands().entrySet()) {
            CommandLine sub = e.getValue();
            if (!sub.getCommandName().equals(e.getKey())) continue; // an alias: listed with its command
            if (sub.getSubcommands().isEmpty()) {
                List<String> names = new ArrayList<>(List.of(sub.getCommandName()));
                names.addAll(List.of(sub.getCommandSpec().aliases()));
                out.add(prefix + String.join("|", names));
            } else {
                walk(sub, prefix + e.getKey() + " ", out);
            }
        }
    }
}
