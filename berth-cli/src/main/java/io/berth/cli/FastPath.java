package io.berth.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The commands people run most — {@code berth version} and {@code berth ps} — parsed without picocli, whose
 * annotation-driven set-up costs more than the rest of such a command (its Java 5 class files also stay out of the JDK's
 * AOT cache). Only a well-formed command line is taken here: known flags, each at most once (but {@code --filter}), their
 * values given. Anything else — {@code --help}, an unknown or repeated flag, a missing or odd value, an argument —
 * is left to picocli, so every message and exit code stays the one picocli's parse gives.
 */
final class FastPath {
    private FastPath() {}

    /** A parsed command line: the command object with its flags set, and the root's {@code -H} and {@code -D}. */
    record Invocation(String qualifiedName, BaseCommand command, String host, boolean debug) {
        /** Runs the command as picocli's execution would; returns the exit code. */
        int run(Cli cli) {
            cli.host = host;
            cli.debug = debug;
            try {
                return command.runAs(cli, qualifiedName);
            } catch (Exception e) {
                return Main.handle(e, qualifiedName, cli);
            }
        }
    }

    /** A flag of a command: short name (or 0), long name, whether it takes a value, whether it may repeat. */
    private record Flag(char shortName, String longName, boolean valued, boolean repeats) {
        static Flag bool(char s, String l) { return new Flag(s, l, false, false); }

        static Flag value(char s, String l) { return new Flag(s, l, true, false); }
    }

    private static final List<Flag> VERSION = List.of(Flag.value('f', "--format"));

    private static final List<Flag> PS = List.of(Flag.bool('a', "--all"), Flag.bool('q', "--quiet"), Flag.bool('s', "--size"),
            Flag.bool('l', "--latest"), Flag.value('n', "--last"), Flag.bool((char) 0, "--no-trunc"),
            Flag.value((char) 0, "--format"), new Flag('f', "--filter", true, true));

    /** The invocation {@code args} make when this class takes them. */
    static Optional<Invocation> parse(String[] args) {
        String host = null;
        boolean debug = false;
        int i = 0;
        for (; i < args.length; i++) {
            String a = args[i];
            String value;
            if (a.equals("-H") || a.equals("--host")) {
                value = i + 1 < args.length ? args[++i] : null;
            } else if (a.startsWith("--host=")) {
                value = a.substring("--host=".length());
            } else if (a.startsWith("-H") && !a.startsWith("-H=")) {
                value = a.substring(2);
            } else if (a.equals("-D") || a.equals("--debug")) {
                if (debug) return Optional.empty();
                debug = true;
                continue;
            } else {
                break;
            }
            if (host != null || value == null || value.isEmpty() || value.startsWith("-")) return Optional.empty();
            host = value;
        }
        if (i >= args.length) return Optional.empty();
        String[] rest = Arrays.copyOfRange(args, i + 1, args.length);
        Optional<? extends BaseCommand> command = switch (args[i]) {
            case "version" -> flags(rest, VERSION).map(FastPath::version);
            case "ps" -> flags(rest, PS).flatMap(FastPath::ps);
            default -> Optional.empty();
        };
        String name = "berth " + args[i], h = host;
        boolean d = debug;
        return command.map(c -> new Invocation(name, c, h, d));
    }

    private static SystemCommands.Version version(Map<String, List<String>> flags) {
        SystemCommands.Version v = new SystemCommands.Version();
        v.format = one(flags, "--format");
        return v;
    }

    private static Optional<ContainerCommands.Ps> ps(Map<String, List<String>> flags) {
        ContainerCommands.Ps p = new ContainerCommands.Ps();
        p.all = flags.containsKey("--all");
        p.quiet = flags.containsKey("--quiet");
        p.size = flags.containsKey("--size") ? Boolean.TRUE : null;
        p.latest = flags.containsKey("--latest");
        p.noTrunc = flags.containsKey("--no-trunc");
        p.format = one(flags, "--format");
        try {
            String last = one(flags, "--last");
            p.last = last == null ? -1 : (int) Opts.parseInt(last, 32);
            for (String f : flags.getOrDefault("--filter", List.of())) p.filter.add(Opts.filter(f));
        } catch (RuntimeException e) {
            return Optional.empty(); // picocli says what is wrong with the value
        }
        return Optional.of(p);
    }

    private static String one(Map<String, List<String>> flags, String name) {
        List<String> v = flags.get(name);
        return v == null ? null : v.getFirst();
    }

    /**
     * The flags in {@code words} by long name, each with its values (none for a boolean); empty when a word is not one
     * of {@code known}'s well-formed uses: {@code --name}, {@code --name=value}, {@code --name value}, a cluster of short
     * booleans ({@code -aq}) that may end in one valued short flag with its value attached ({@code -n3}) or next.
     */
    private static Optional<Map<String, List<String>>> flags(String[] words, List<Flag> known) {
        Map<String, List<String>> seen = new HashMap<>();
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.startsWith("--")) {
                int eq = w.indexOf('=');
                Flag f = byLong(known, eq < 0 ? w : w.substring(0, eq));
                if (f == null || (!f.valued() && eq >= 0)) return Optional.empty();
                String value = null;
                if (f.valued()) {
                    if (eq >= 0) value = w.substring(eq + 1);
                    else if (i + 1 < words.length && !words[i + 1].startsWith("-")) value = words[++i];
                    else return Optional.empty();
                }
                if (!add(seen, f, value)) return Optional.empty();
            } else if (w.startsWith("-") && w.length() > 1) {
                for (int k = 1; k < w.length(); k++) {
                    Flag f = byShort(known, w.charAt(k));
                    if (f == null) return Optional.empty();
                    if (!f.valued()) {
                        if (!add(seen, f, null)) return Optional.empty();
                        continue;
                    }
                    String value;
                    if (k + 1 < w.length()) value = w.substring(k + 1);
                    else if (i + 1 < words.length && !words[i + 1].startsWith("-")) value = words[++i];
                    else return Optional.empty();
                    if (value.startsWith("=") || !add(seen, f, value)) return Optional.empty();
                    break;
                }
            } else {
                return Optional.empty(); // an argument: the command's own check words the error
            }
        }
        return Optional.of(seen);
    }

    private static boolean add(Map<String, List<String>> seen, Flag f, String value) {
        List<String> values = seen.get(f.longName());
        if (values != null && !f.repeats()) return false;
        if (values == null) seen.put(f.longName(), values = new ArrayList<>());
        if (value != null) values.add(value);
        return true;
    }

    private static Flag byLong(List<Flag> known, String name) {
        for (Flag f : known) if (f.longName().equals(name)) return f;
        return null;
    }

    private static Flag byShort(List<Flag> known, char c) {
        for (Flag f : known) if (f.shortName() == c) return f;
        return null;
    }
}
