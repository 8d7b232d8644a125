package io.berth.engine.build.dockerfile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * BuildKit's second pass ({@code instructions.Parse}): one {@link Node} to one typed {@link Instruction}, or to a
 * {@link From} for FROM, checking argument counts and flags with BuildKit's messages.
 */
final class InstructionParser {
    private static final List<String> KEYWORDS = List.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE",
            "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
            "WORKDIR");
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9\\-_.]*$");
    private static final Pattern ONBUILD_PREFIX = Pattern.compile("(?i)^\\s*ONBUILD\\s*");
    private static final Duration MIN_INTERVAL = Duration.ofMillis(1);

    private InstructionParser() {}

    /** A FROM line: the start of a stage. */
    record From(String base, String name, String platform, Dockerfile.Source source) {}

    static boolean isFrom(Node node) { return node.keyword().equalsIgnoreCase("from"); }

    static From from(Node node) {
        List<String> args = node.args();
        String name = null;
        if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
            name = args.get(2).toLowerCase(Locale.ROOT);
            if (!STAGE_NAME.matcher(name).matches()) {
                throw new ParseError("invalid name for build stage: " + GoQuote.of(args.get(2))
                        + ", name can't start with a number or contain symbols");
            }
        } else if (args.size() != 1) {
            throw new ParseError("FROM requires either one or three arguments");
        }
        Flags flags = new Flags(node.flags()).string("platform");
        flags.parse();
        return new From(args.getFirst(), name, flags.value("platform"), node.source());
    }

    static Instruction instruction(Node node) {
        Dockerfile.Source src = node.source();
        List<String> args = node.args();
        Flags flags = new Flags(node.flags());
        return switch (node.keyword().toUpperCase(Locale.ROOT)) {
            case "ENV" -> {
                flags.parse();
                yield new Instruction.Env(src, pairs(args, "ENV"));
            }
            case "LABEL" -> {
                flags.parse();
                yield new Instruction.Label(src, pairs(args, "LABEL"));
            }
            case "MAINTAINER" -> {
                exactlyOne(args, "MAINTAINER");
                flags.parse();
                yield new Instruction.Maintainer(src, args.getFirst());
            }
            case "ADD" -> add(node, src, flags);
            case "COPY" -> copy(node, src, flags);
            case "ONBUILD" -> onbuild(node, src, flags);
            case "WORKDIR" -> {
                exactlyOne(args, "WORKDIR");
                flags.parse();
                yield new Instruction.Workdir(src, args.getFirst());
            }
            case "RUN" -> run(node, src, flags);
            case "CMD" -> {
                flags.parse();
                yield new Instruction.Cmd(src, command(node, args, List.of()));
            }
            case "ENTRYPOINT" -> {
                flags.parse();
                yield new Instruction.Entrypoint(src, command(node, args, List.of()));
            }
            case "HEALTHCHECK" -> healthcheck(node, src, flags);
            case "EXPOSE" -> {
                atLeastOne(args, "EXPOSE");
                flags.parse();
                yield new Instruction.Expose(src, args.stream().sorted().toList());
            }
            case "USER" -> {
                exactlyOne(args, "USER");
                flags.parse();
                yield new Instruction.User(src, args.getFirst());
            }
            case "VOLUME" -> volume(args, src, flags);
            case "STOPSIGNAL" -> {
                exactlyOne(args, "STOPSIGNAL");
                yield new Instruction.StopSignal(src, args.getFirst());
            }
            case "ARG" -> arg(args, src);
            case "SHELL" -> {
                flags.parse();
                if (args.isEmpty()) {
                    throw atLeastOneError("SHELL");
                }
                if (!node.json()) {
                    throw new ParseError("SHELL requires the arguments to be in JSON form");
                }
                yield new Instruction.Shell(src, List.copyOf(args));
            }
            default -> throw new ParseError(Suggest.wrap("unknown instruction: " + node.keyword(), node.keyword(),
                    KEYWORDS, false));
        };
    }

    private static List<Instruction.KeyValue> pairs(List<String> args, String command) {
        if (args.isEmpty()) {
            throw atLeastOneError(command);
        }
        if (args.size() % 3 != 0) {
            throw new ParseError("Bad input to " + command + ", too many arguments");
        }
        List<Instruction.KeyValue> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 3) {
            if (args.get(i).isEmpty()) {
                throw blankNames(command);
            }
            out.add(new Instruction.KeyValue(args.get(i), args.get(i + 1)));
        }
        return out;
    }

    private static Instruction arg(List<String> args, Dockerfile.Source src) {
        atLeastOne(args, "ARG");
        List<Instruction.KeyValue> out = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                out.add(new Instruction.KeyValue(a, null));
            } else if (eq == 0) {
                throw blankNames("ARG");
            } else {
                out.add(new Instruction.KeyValue(a.substring(0, eq), a.substring(eq + 1)));
            }
        }
        return new Instruction.Arg(src, out);
    }

    private static Instruction run(Node node, Dockerfile.Source src, Flags flags) {
        flags.strings("mount").string("network").string("security");
        flags.parse();
        String network = flags.value("network");
        if (network != null && !List.of("default", "none", "host").contains(network)) {
            throw new ParseError("invalid network mode " + GoQuote.of(network));
        }
        String security = flags.value("security");
        if (security != null && !List.of("sandbox", "insecure").contains(security)) {
            throw new ParseError("security " + GoQuote.of(security) + " is not valid");
        }
        return new Instruction.Run(src, command(node, node.args(), node.heredocs()), flags.values("mount"), network,
                security);
    }

    private static Instruction.Command command(Node node, List<String> args, List<Instruction.Heredoc> heredocs) {
        List<String> line = node.json() || args.isEmpty() ? List.copyOf(args) : List.of(String.join(" ", args));
        return new Instruction.Command(line, !node.json(), heredocs);
    }

    private static Instruction copy(Node node, Dockerfile.Source src, Flags flags) {
        if (node.args().size() < 2) {
            throw noDestination("COPY");
        }
        flags.string("chown").string("from").string("chmod").bool("link").strings("exclude").bool("parents");
        flags.parse();
        Sources s = sources(node, "COPY");
        return new Instruction.Copy(src, s.paths(), s.dest(), s.heredocs(), flags.value("from"), flags.value("chown"),
                flags.value("chmod"), flags.isTrue("link"), flags.isTrue("parents"), flags.values("exclude"));
    }

    private static Instruction add(Node node, Dockerfile.Source src, Flags flags) {
        if (node.args().size() < 2) {
            throw noDestination("ADD");
        }
        flags.string("chown").string("chmod").bool("link").bool("keep-git-dir").string("checksum").bool("unpack")
                .strings("exclude");
        flags.parse();
        Sources s = sources(node, "ADD");
        Boolean unpack = flags.used("unpack") ? flags.isTrue("unpack") : null;
        return new Instruction.Add(src, s.paths(), s.dest(), s.heredocs(), flags.value("chown"), flags.value("chmod"),
                flags.isTrue("link"), false, flags.values("exclude"), flags.value("checksum"),
                flags.isTrue("keep-git-dir"), unpack);
    }

    private record Sources(List<String> paths, String dest, List<Instruction.Heredoc> heredocs) {}

    /** COPY/ADD sources: a {@code <<EOF} word stands for its here-document (content chomped for {@code <<-}). */
    private static Sources sources(Node node, String command) {
        List<String> args = node.args();
        String dest = args.getLast();
        if (Heredocs.parse(dest) != null) {
            throw new ParseError(command + " cannot accept a heredoc as a destination");
        }
        List<String> paths = new ArrayList<>();
        List<Instruction.Heredoc> docs = new ArrayList<>();
        for (String src : args.subList(0, args.size() - 1)) {
            Instruction.Heredoc word = Heredocs.parse(src);
            if (word == null) {
                paths.add(src);
                continue;
            }
            String content = node.heredocs().stream().filter(h -> h.name().equals(word.name())).findFirst()
                    .map(Instruction.Heredoc::content).orElse("");
            paths.add(word.name());
            docs.add(new Instruction.Heredoc(word.name(), content, word.expand(), word.chomp()));
        }
        return new Sources(List.copyOf(paths), dest, List.copyOf(docs));
    }

    private static Instruction onbuild(Node node, Dockerfile.Source src, Flags flags) {
        List<String> args = node.args();
        atLeastOne(args, "ONBUILD");
        flags.parse();
        String trigger = args.getFirst().strip().toUpperCase(Locale.ROOT);
        switch (trigger) {
            case "ONBUILD" -> throw new ParseError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER", "FROM" -> throw new ParseError(trigger + " isn't allowed as an ONBUILD trigger");
            default -> { }
        }
        StringBuilder expression = new StringBuilder(ONBUILD_PREFIX.matcher(node.original()).replaceAll(""));
        for (Instruction.Heredoc doc : node.heredocs()) {
            expression.append('\n').append(doc.content()).append(doc.name());
        }
        return new Instruction.Onbuild(src, expression.toString());
    }

    private static Instruction volume(List<String> args, Dockerfile.Source src, Flags flags) {
        atLeastOne(args, "VOLUME");
        flags.parse();
        List<String> paths = new ArrayList<>();
        for (String v : args) {
            String p = v.strip();
            if (p.isEmpty()) {
                throw new ParseError("VOLUME specified can not be an empty string");
            }
            paths.add(p);
        }
        return new Instruction.Volume(src, List.copyOf(paths));
    }

    private static Instruction healthcheck(Node node, Dockerfile.Source src, Flags flags) {
        List<String> args = node.args();
        atLeastOne(args, "HEALTHCHECK");
        String type = args.getFirst().toUpperCase(Locale.ROOT);
        List<String> rest = args.subList(1, args.size());
        if (type.equals("NONE")) {
            if (!rest.isEmpty()) {
                throw new ParseError("HEALTHCHECK NONE takes no arguments");
            }
            return new Instruction.Healthcheck(src, List.of("NONE"), null, null, null, null, null);
        }
        flags.string("interval").string("timeout").string("start-period").string("start-interval").string("retries");
        flags.parse();
        if (!type.equals("CMD")) {
            throw new ParseError("Unknown type " + GoQuote.of(type) + " in HEALTHCHECK (try CMD)");
        }
        if (rest.isEmpty()) {
            throw new ParseError("Missing command after HEALTHCHECK CMD");
        }
        List<String> test = new ArrayList<>();
        test.add(node.json() ? "CMD" : "CMD-SHELL");
        test.addAll(node.json() ? rest : List.of(String.join(" ", rest)));
        Duration interval = interval(flags, "interval");
        Duration timeout = interval(flags, "timeout");
        Duration startPeriod = interval(flags, "start-period");
        Duration startInterval = interval(flags, "start-interval");
        Integer retries = null;
        String r = flags.value("retries");
        if (r != null && !r.isEmpty()) {
            retries = GoInt.parseInt32(r);
            if (retries < 0) {
                throw new ParseError("--retries cannot be negative (" + retries + ")");
            }
        }
        return new Instruction.Healthcheck(src, List.copyOf(test), interval, timeout, startPeriod, startInterval,
                retries);
    }

    /** A duration flag: null when absent or empty, zero for {@code 0}, at least 1ms otherwise. */
    private static Duration interval(Flags flags, String name) {
        String v = flags.value(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        Duration d = GoDuration.parse(v);
        if (!d.isZero() && d.compareTo(MIN_INTERVAL) < 0) {
            throw new ParseError("Interval " + GoQuote.of(name) + " cannot be less than 1ms");
        }
        return d;
    }

    private static void exactlyOne(List<String> args, String command) {
        if (args.size() != 1) {
            throw new ParseError(command + " requires exactly one argument");
        }
    }

    private static void atLeastOne(List<String> args, String command) {
        if (args.isEmpty()) {
            throw atLeastOneError(command);
        }
    }

    private static ParseError atLeastOneError(String command) {
        return new ParseError(command + " requires at least one argument");
    }

    private static ParseError blankNames(String command) {
        return new ParseError(command + " names can not be blank");
    }

    private static ParseError noDestination(String command) {
        return new ParseError(command + " requires at least two arguments, but only one was provided. Destination"
                + " could not be determined");
    }
}
