package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Filters;
import io.berth.api.Json;
import io.berth.api.container.ContainerTopResponse;
import io.berth.api.container.MountPoint;
import io.berth.api.errors.BerthException;
import io.berth.cli.format.Formatter;
import io.berth.cli.format.TabWriter;
import io.berth.cli.format.Template;
import io.berth.cli.format.Units;
import io.berth.client.ApiException;
import io.berth.client.BerthClient;
import io.berth.client.BerthClient.Query;
import io.berth.client.HijackedConnection;
import io.berth.client.HttpResponse;
import io.berth.client.StreamDemux;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The container commands other than create/run/exec: ps, lifecycle, logs, inspect, rm, prune, … */
final class ContainerCommands {
    private ContainerCommands() {}

    static JsonNode inspect(Cli cli, String id) { return RunCommands.readJson(cli.client().raw("GET", "/containers/" + id + "/json", null)); }

    /** Runs {@code action} for each name; prints the name on success, collects errors (exit 1). */
    interface Action { void run(String name); }

    static int forEach(Cli cli, List<String> names, Action action) {
        List<String> errors = new ArrayList<>();
        for (String n : names) {
            try {
                action.run(n);
                cli.out.println(n);
                cli.out.flush();
            } catch (ApiException e) {
                errors.add(e.displayMessage());
            }
        }
        if (!errors.isEmpty()) throw new Main.CliException(String.join("\n", errors));
        return 0;
    }

    /** {@code POST /containers/{name}/{action}} for each name (at least one is required); see {@link #forEach}. */
    static int postEach(Cli cli, List<String> names, String action, Query q) {
        Main.requireArgs(names, 1, Integer.MAX_VALUE);
        return forEach(cli, names, n -> cli.client().raw("POST", "/containers/" + n + "/" + action, q));
    }

    // ---------------------------------------------------------------- ps

    static final String PS_TABLE = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    static final Map<String, String> PS_HEADER = Map.ofEntries(Map.entry("ID", "CONTAINER ID"), Map.entry("Image", "IMAGE"),
            Map.entry("Command", "COMMAND"), Map.entry("CreatedAt", "CREATED AT"), Map.entry("RunningFor", "CREATED"),
            Map.entry("Ports", "PORTS"), Map.entry("State", "STATE"), Map.entry("Status", "STATUS"), Map.entry("Size", "SIZE"),
            Map.entry("Names", "NAMES"), Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"),
            Map.entry("LocalVolumes", "LOCAL VOLUMES"), Map.entry("Networks", "NETWORKS"), Map.entry("Platform", "PLATFORM"));

    /** docker's ContainerContext for one {@code /containers/json} entry. */
    static Row psRow(Cli cli, JsonNode c, boolean trunc) {
        Map<String, Object> f = new LinkedHashMap<>();
        String id = c.path("Id").asText();
        f.put("ID", trunc ? Model.truncateId(id) : id);
        f.put("Image", image(c, trunc));
        String cmd = c.path("Command").asText();
        f.put("Command", GoQuote.quote(trunc ? ImageCommands.ellipsis(cmd, 20) : cmd));
        long created = c.path("Created").asLong();
        f.put("CreatedAt", Model.goTime(created));
        f.put("RunningFor", Model.since(cli, created));
        f.put("Ports", displayablePorts(c.path("Ports")));
        f.put("State", c.path("State").isObject() ? c.path("State").path("Status").asText("") : c.path("State").asText());
        String status = c.path("Status").asText("");
        if (status.isEmpty() && c.has("State") && c.get("State").isObject()) status = ContainerStatus.describe(c.get("State"), cli.clock.instant());
        else if (status.isEmpty() && c.path("State").asText("").equals("created")) status = "Created";
        f.put("Status", status);
        long rw = c.path("SizeRw").asLong(), root = c.path("SizeRootFs").asLong();
        String srw = Units.humanSize(rw, 3);
        f.put("Size", root > 0 ? srw + " (virtual " + Units.humanSize(root, 3) + ")" : srw);
        List<String> names = new ArrayList<>();
        for (JsonNode n : c.path("Names")) names.add(n.asText().startsWith("/") ? n.asText().substring(1) : n.asText());
        if (trunc) {
            for (String n : names) if (!n.contains("/")) { names = List.of(n); break; }
        }
        f.put("Names", String.join(",", names));
        List<String> labels = new ArrayList<>();
        c.path("Labels").properties().forEach(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
        labels.sort(null);
        f.put("Labels", String.join(",", labels));
        List<String> mounts = new ArrayList<>();
        int local = 0;
        for (JsonNode node : c.path("Mounts")) {
            MountPoint m = Json.wire().convertValue(node, MountPoint.class);
            String name = m.name() == null ? "" : m.name();
            if (name.isEmpty()) name = m.source() == null ? "" : m.source();
            mounts.add(trunc ? ImageCommands.ellipsis(name, 15) : name);
            if ("local".equals(m.driver())) local++;
        }
        f.put("Mounts", String.join(",", mounts));
        f.put("LocalVolumes", Integer.toString(local));
        TreeSet<String> nets = new TreeSet<>();
        c.path("NetworkSettings").path("Networks").fieldNames().forEachRemaining(nets::add);
        f.put("Networks", String.join(",", nets));
        f.put("Platform", "");
        return new Row("*formatter.ContainerContext", f);
    }

    static String image(JsonNode c, boolean trunc) {
        String image = c.path("Image").asText("");
        if (image.isEmpty()) return "<no image>";
        if (trunc) {
            String imageId = c.path("ImageID").asText("");
            if (Model.truncateId(imageId).equals(Model.truncateId(image))) return Model.truncateId(image);
            try {
                Reference r = Reference.parse(image);
                return r.familiarName() + (r.tag() != null ? ":" + r.tag() : "");
            } catch (BerthException.InvalidArgument ignored) {
                // keep as is
            }
        }
        return image;
    }

    /** docker's DisplayablePorts: consecutive private ports grouped, host mappings last. */
    static String displayablePorts(JsonNode ports) {
        record P(String ip, int priv, int pub, String type) {}
        List<P> list = new ArrayList<>();
        for (JsonNode p : ports) list.add(new P(p.path("IP").asText(""), p.path("PrivatePort").asInt(), p.path("PublicPort").asInt(), p.path("Type").asText("")));
        list.sort(Comparator.comparingInt(P::priv).thenComparing(P::ip).thenComparingInt(P::pub).thenComparing(P::type));
        Map<String, int[]> groups = new LinkedHashMap<>();
        List<String> result = new ArrayList<>();
        List<String> hostMappings = new ArrayList<>();
        for (P p : list) {
            String key = p.type();
            if (!p.ip().isEmpty()) {
                if (p.pub() != p.priv()) {
                    String host = p.ip().contains(":") ? "[" + p.ip() + "]" : p.ip();
                    hostMappings.add(host + ":" + p.pub() + "->" + p.priv() + "/" + p.type());
                    continue;
                }
                key = p.ip() + "/" + p.type();
            }
            int[] g = groups.get(key);
            if (g == null) {
                groups.put(key, new int[] {p.priv(), p.priv()});
                continue;
            }
            if (p.priv() == g[1] + 1) {
                g[1] = p.priv();
                continue;
            }
            result.add(formGroup(key, g[0], g[1]));
            groups.put(key, new int[] {p.priv(), p.priv()});
        }
        groups.forEach((k, g) -> result.add(formGroup(k, g[0], g[1])));
        result.addAll(hostMappings);
        return String.join(", ", result);
    }

    private static String formGroup(String key, int start, int last) {
        int slash = key.lastIndexOf('/');
        String ip = slash < 0 ? "" : key.substring(0, slash);
        String type = slash < 0 ? key : key.substring(slash + 1);
        String group = start == last ? Integer.toString(start) : start + "-" + last;
        if (!ip.isEmpty()) group = ip + ":" + group + "->" + group;
        return group + "/" + type;
    }

    @Command(description = "List containers")
    static final class Ps extends BaseCommand {
        @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)") boolean all;
        @Option(names = {"-q", "--quiet"}, description = "Only display container IDs") boolean quiet;
        @Option(names = {"-s", "--size"}, description = "Display total file sizes") Boolean size;
        @Option(names = {"-l", "--latest"}, description = "Show the latest created container (includes all states)") boolean latest;
        @Option(names = {"-n", "--last"}, converter = Opts.Int32.class, defaultValue = "-1",
                description = "Show n last created containers (includes all states)") int last;
        @Option(names = "--no-trunc", description = "Don't truncate output") boolean noTrunc;
        @Option(names = "--format", description = "Format output using a custom template") String format;
        @Option(names = {"-f", "--filter"}, converter = Opts.FilterConv.class, description = "Filter output based on conditions provided") List<String> filter = new ArrayList<>();
        @Parameters(arity = "0..*", hidden = true) List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 0, 0);
            int limit = last;
            if (latest && limit == -1) limit = 1;
            boolean wantSize = size != null && size;
            if (format != null && !format.isEmpty() && !quiet && size == null) wantSize = format.contains(".Size");
            String fmt = format;
            if (quiet) fmt = "{{.ID}}";
            else if (fmt == null || fmt.isEmpty() || fmt.equals("table")) fmt = PS_TABLE + (wantSize ? "\t{{.Size}}" : "");
            Formatter formatter = new Formatter(fmt);
            Filters f = ImageCommands.filters(filter);
            Query q = Query.of().flag("all", all);
            if (limit > 0) q.add("limit", Integer.toString(limit));
            q.flag("size", wantSize);
            if (!f.isEmpty()) q.add("filters", f.toJson());
            JsonNode list = RunCommands.readJson(client().raw("GET", "/containers/json", q));
            List<Row> rows = new ArrayList<>();
            for (JsonNode c : list) rows.add(psRow(cli, c, !noTrunc));
            Model.print(cli, formatter, rows, PS_HEADER);
            return 0;
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Command(description = "Start one or more stopped containers")
    static final class Start extends BaseCommand {
        @Option(names = {"-a", "--attach"}, description = "Attach STDOUT/STDERR and forward signals") boolean attach;
        @Option(names = {"-i", "--interactive"}, description = "Attach container's STDIN") boolean interactive;
        @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container") String detachKeys;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() throws IOException {
            Main.requireArgs(args, 1, Integer.MAX_VALUE);
            BerthClient c = client();
            if (attach || interactive) {
                if (args.size() > 1) throw new Main.CliException("you cannot start and attach multiple containers at once");
                JsonNode info = inspect(cli, args.getFirst());
                String id = info.path("Id").asText();
                boolean tty = info.path("Config").path("Tty").asBoolean();
                boolean stdin = interactive && info.path("Config").path("OpenStdin").asBoolean();
                if (tty && stdin && !cli.stdinTerminal) throw new Main.CliException("the input device is not a TTY");
                HijackedConnection h = c.hijack("/containers/" + id + "/attach", Query.of().flag("stream", true).flag("stdin", stdin)
                        .flag("stdout", true).flag("stderr", true).add("detachKeys", detachKeys), null);
                AttachStreamer s = new AttachStreamer(cli, h, tty, stdin, detachKeys).start();
                boolean autoRemove = info.path("HostConfig").path("AutoRemove").asBoolean();
                BerthClient.PendingResponse wait = c.begin("POST",
                        c.path("/containers/" + id + "/wait", Query.of().add("condition", autoRemove ? "removed" : "next-exit")), null, null);
                try {
                    c.raw("POST", "/containers/" + id + "/start", null);
                } catch (ApiException e) {
                    s.close();
                    wait.close();
                    throw e;
                }
                if (tty && cli.stdoutTerminal) RunCommands.resize(cli, "/containers/" + id + "/resize");
                if (s.awaitDetached(wait)) return 0;
                try (HttpResponse resp = wait.awaitOk()) {
                    int code = RunCommands.readJson(resp.body().readAllBytes()).path("StatusCode").asInt(0);
                    if (code != 0) throw new Main.CliException("", code);
                }
                return 0;
            }
            List<String> failed = new ArrayList<>();
            for (String n : args) {
                try {
                    c.raw("POST", "/containers/" + n + "/start", null);
                    cli.out.println(n);
                    cli.out.flush();
                } catch (ApiException e) {
                    cli.err.println(e.displayMessage());
                    failed.add(n);
                }
            }
            if (!failed.isEmpty()) throw new Main.CliException("Error: failed to start containers: " + String.join(", ", failed));
            return 0;
        }
    }

    @Command(description = "Stop one or more running containers")
    static final class Stop extends BaseCommand {
        @Option(names = {"-t", "--timeout", "--time"}, converter = Opts.Int32.class, description = "Seconds to wait before killing the container") Integer timeout;
        @Option(names = {"-s", "--signal"}, description = "Signal to send to the container") String signal;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() {
            Query q = Query.of().add("signal", signal).add("t", timeout == null ? null : timeout.toString());
            return postEach(cli, args, "stop", q);
        }
    }

    @Command(description = "Restart one or more containers")
    static final class Restart extends BaseCommand {
        @Option(names = {"-t", "--timeout", "--time"}, converter = Opts.Int32.class, description = "Seconds to wait before killing the container") Integer timeout;
        @Option(names = {"-s", "--signal"}, description = "Signal to send to the container") String signal;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() {
            Query q = Query.of().add("signal", signal).add("t", timeout == null ? null : timeout.toString());
            return postEach(cli, args, "restart", q);
        }
    }

    @Command(description = "Kill one or more running containers")
    static final class Kill extends BaseCommand {
        @Option(names = {"-s", "--signal"}, description = "Signal to send to the container") String signal;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() {
            Query q = Query.of().add("signal", signal == null || signal.isEmpty() ? null : signal);
            return postEach(cli, args, "kill", q);
        }
    }

    @Command(description = "Pause all processes within one or more containers")
    static final class Pause extends BaseCommand {
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() {
            return postEach(cli, args, "pause", null);
        }
    }

    @Command(description = "Unpause all processes within one or more containers")
    static final class Unpause extends BaseCommand {
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() {
            return postEach(cli, args, "unpause", null);
        }
    }

    @Command(description = "Block until one or more containers stop, then print their exit codes")
    static final class Wait extends BaseCommand {
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 1, Integer.MAX_VALUE);
            List<String> errors = new ArrayList<>();
            for (String n : args) {
                try {
                    JsonNode r = RunCommands.postJson(client(), "/containers/" + n + "/wait", null, null);
                    cli.out.println(r.path("StatusCode").asLong());
                    cli.out.flush();
                } catch (ApiException e) {
                    errors.add(e.displayMessage());
                }
            }
            if (!errors.isEmpty()) throw new Main.CliException(String.join("\n", errors));
            return 0;
        }
    }

    @Command(description = "Rename a container")
    static final class Rename extends BaseCommand {
        @Parameters(arity = "0..*") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 2, 2);
            String oldName = args.get(0).strip(), newName = args.get(1).strip();
            if (oldName.isEmpty() || newName.isEmpty()) throw new Main.CliException("Error: Neither old nor new names may be empty");
            try {
                client().raw("POST", "/containers/" + oldName + "/rename", Query.of().add("name", newName));
            } catch (ApiException e) {
                throw new Main.CliException(e.displayMessage() + "\nError: failed to rename container named " + oldName);
            }
            return 0;
        }
    }

    @Command(description = "Remove one or more containers")
    static final class Rm extends BaseCommand {
        @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL)") boolean force;
        @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container") boolean volumes;
        @Option(names = {"-l", "--link"}, description = "Remove the specified link") boolean link;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 1, Integer.MAX_VALUE);
            List<String> errors = new ArrayList<>();
            for (String n : args) {
                String name = n.strip();
                if (name.isEmpty()) {
                    errors.add("Error: container name cannot be empty");
                    continue;
                }
                try {
                    client().raw("DELETE", "/containers/" + name, Query.of().flag("v", volumes).flag("link", link).flag("force", force));
                    cli.out.println(n);
                    cli.out.flush();
                } catch (ApiException e) {
                    if (force && e.status() == 404) continue;
                    errors.add(e.displayMessage());
                }
            }
            if (!errors.isEmpty()) throw new Main.CliException(String.join("\n", errors));
            return 0;
        }
    }

    @Command(description = "Remove all stopped containers")
    static final class Prune extends BaseCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation") boolean force;
        @Option(names = "--filter", converter = Opts.FilterConv.class, description = "Provide filter values (e.g. \"until=<timestamp>\")") List<String> filter = new ArrayList<>();

        @Override int execute() throws IOException {
            Filters f = ImageCommands.filters(filter);
            if (!force && !ImageCommands.confirm(cli, "WARNING! This will remove all stopped containers.\nAre you sure you want to continue?")) return 0;
            JsonNode report = RunCommands.postJson(client(), "/containers/prune", f.isEmpty() ? null : Query.of().add("filters", f.toJson()), null);
            StringBuilder sb = new StringBuilder();
            long space = 0;
            if (report.path("ContainersDeleted").size() > 0) {
                sb.append("Deleted Containers:\n");
                for (JsonNode id : report.path("ContainersDeleted")) sb.append(id.asText()).append('\n');
                sb.append('\n');
                space = report.path("SpaceReclaimed").asLong();
            }
            sb.append("Total reclaimed space: ").append(Units.humanSize(space)).append('\n');
            cli.out.print(sb);
            cli.out.flush();
            return 0;
        }
    }

    // ---------------------------------------------------------------- attach, logs

    @Command(description = "Attach local standard input, output, and error streams to a running container")
    static final class Attach extends BaseCommand {
        @Option(names = "--no-stdin", description = "Do not attach STDIN") boolean noStdin;
        @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container") String detachKeys;
        @Option(names = "--sig-proxy", arity = "0..1", fallbackValue = "true", defaultValue = "true",
                description = "Proxy all received signals to the process") boolean sigProxy;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() throws IOException {
            Main.requireArgs(args, 1, 1);
            BerthClient c = client();
            JsonNode info = inspect(cli, args.getFirst());
            JsonNode state = info.path("State");
            if (!state.path("Running").asBoolean()) throw new Main.CliException("You cannot attach to a stopped container, start it first");
            if (state.path("Paused").asBoolean()) throw new Main.CliException("You cannot attach to a paused container, unpause it first");
            if (state.path("Restarting").asBoolean()) throw new Main.CliException("You cannot attach to a restarting container, wait until it is running");
            String id = info.path("Id").asText();
            boolean tty = info.path("Config").path("Tty").asBoolean();
            boolean stdin = !noStdin && info.path("Config").path("OpenStdin").asBoolean();
            if (tty && stdin && !cli.stdinTerminal) throw new Main.CliException("the input device is not a TTY");
            BerthClient.PendingResponse wait = c.begin("POST", c.path("/containers/" + id + "/wait", null), null, null);
            SignalProxy proxy = sigProxy && !tty ? SignalProxy.install(cli, id) : null;
            try {
                HijackedConnection h = c.hijack("/containers/" + id + "/attach", Query.of().flag("stream", true).flag("stdin", stdin)
                        .flag("stdout", true).flag("stderr", true).add("detachKeys", detachKeys), null);
                if (tty && cli.stdoutTerminal) RunCommands.resize(cli, "/containers/" + id + "/resize");
                AttachStreamer s = new AttachStreamer(cli, h, tty, stdin, detachKeys).start();
                if (s.awaitAndClose()) return 0;
                try (HttpResponse resp = wait.awaitOk()) {
                    int code = RunCommands.readJson(resp.body().readAllBytes()).path("StatusCode").asInt(0);
                    if (code != 0) throw new Main.CliException("", code);
                }
                return 0;
            } finally {
                wait.close();
                if (proxy != null) proxy.uninstall();
            }
        }
    }

    /** docker's timetypes.GetTimestamp: durations relative to now, RFC 3339 dates, or Unix seconds. */
    static String timestamp(String value, Instant now) {
        if (value.matches("-?\\d+(\\.\\d+)?")) return value;
        Duration d = GoDuration.parse(value);
        if (d != null) {
            Instant t = now.minus(d);
            return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(value).toInstant();
        } catch (RuntimeException e) {
            try {
                t = java.time.LocalDateTime.parse(value).atZone(java.time.ZoneId.systemDefault()).toInstant();
            } catch (RuntimeException e2) {
                try {
                    t = java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneId.systemDefault()).toInstant();
                } catch (RuntimeException e3) {
                    throw new Main.CliException("invalid value for \"since\": failed to parse value as time or duration: \"" + value + "\"");
                }
            }
        }
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    @Command(description = "Fetch the logs of a container")
    static final class Logs extends BaseCommand {
        @Option(names = {"-f", "--follow"}, description = "Follow log output") boolean follow;
        @Option(names = {"-n", "--tail"}, defaultValue = "all", description = "Number of lines to show from the end of the logs") String tail;
        @Option(names = "--since", description = "Show logs since timestamp or relative") String since;
        @Option(names = "--until", description = "Show logs before a timestamp or relative") String until;
        @Option(names = {"-t", "--timestamps"}, description = "Show timestamps") boolean timestamps;
        @Option(names = "--details", description = "Show extra details provided to logs") boolean details;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() throws IOException {
            Main.requireArgs(args, 1, 1);
            JsonNode info = inspect(cli, args.getFirst());
            boolean tty = info.path("Config").path("Tty").asBoolean();
            Instant now = cli.clock.instant();
            Query q = Query.of().flag("stdout", true).flag("stderr", true)
                    .add("since", since == null || since.isEmpty() ? null : timestamp(since, now))
                    .add("until", until == null || until.isEmpty() ? null : timestamp(until, now))
                    .flag("timestamps", timestamps).flag("follow", follow).add("tail", tail).flag("details", details);
            try (InputStream in = client().stream("GET", "/containers/" + args.getFirst() + "/logs", q)) {
                if (tty) {
                    byte[] buf = new byte[32 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        cli.out.write(buf, 0, n);
                        cli.out.flush();
                    }
                } else {
                    StreamDemux.copy(in, cli.out, cli.err);
                }
            }
            cli.out.flush();
            return 0;
        }
    }

    // ---------------------------------------------------------------- inspect

    @Command(description = "Display detailed information on one or more containers")
    static final class Inspect extends BaseCommand {
        private final boolean generic;
        @Option(names = {"-f", "--format"}, description = "Format output using a custom template") String format;
        @Option(names = {"-s", "--size"}, description = "Display total file sizes") boolean size;
        @Option(names = "--type", description = "Only inspect objects of the given type") String type;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        Inspect(boolean generic) { this.generic = generic; }

        @Override int execute() {
            Main.requireArgs(args, 1, Integer.MAX_VALUE);
            if (generic && type != null && !type.isEmpty() && !List.of("container", "image").contains(type))
                throw new Main.CliException("\"" + type + "\" is not a valid value for --type");
            InspectOutput output = new InspectOutput(cli, format);
            List<String> errors = new ArrayList<>();
            for (String name : args) {
                byte[] raw = null;
                ApiException notFound = null;
                boolean tryContainer = !generic || type == null || type.isEmpty() || type.equals("container");
                boolean tryImage = generic && (type == null || type.isEmpty() || type.equals("image"));
                if (tryContainer) {
                    try {
                        raw = client().raw("GET", "/containers/" + name + "/json", Query.of().flag("size", size));
                    } catch (ApiException e) {
                        if (e.status() != 404) throw e;
                        notFound = e;
                    }
                }
                if (raw == null && tryImage) {
                    try {
                        raw = client().raw("GET", "/images/" + name + "/json", null);
                    } catch (ApiException e) {
                        if (e.status() != 404) throw e;
                        notFound = e;
                    }
                }
                if (raw == null) {
                    errors.add(generic ? "Error: No such object: " + name : notFound.displayMessage());
                    continue;
                }
                output.add(raw);
            }
            output.finish(errors);
            return 0;
        }
    }

    // ---------------------------------------------------------------- top, diff, export, commit, update

    @Command(description = "Display the running processes of a container")
    static final class Top extends BaseCommand {
        @Parameters(arity = "0..*", paramLabel = "CONTAINER [ps OPTIONS]") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 1, Integer.MAX_VALUE);
            Query q = Query.of();
            if (args.size() > 1) q.add("ps_args", String.join(" ", args.subList(1, args.size())));
            ContainerTopResponse top = Json.wire().convertValue(
                    RunCommands.readJson(client().raw("GET", "/containers/" + args.getFirst() + "/top", q)), ContainerTopResponse.class);
            StringBuilder sb = new StringBuilder();
            sb.append(String.join("\t", top.titles() == null ? List.of() : top.titles())).append('\n');
            for (List<String> row : top.processes() == null ? List.<List<String>>of() : top.processes()) {
                sb.append(String.join("\t", row)).append('\n');
            }
            cli.out.print(new TabWriter(20, 3).format(sb.toString()));
            cli.out.flush();
            return 0;
        }
    }

    @Command(description = "Inspect changes to files or directories on a container's filesystem")
    static final class Diff extends BaseCommand {
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 1, 1);
            JsonNode changes = RunCommands.readJson(client().raw("GET", "/containers/" + args.getFirst() + "/changes", null));
            StringBuilder sb = new StringBuilder();
            for (JsonNode ch : changes) {
                String kind = switch (ch.path("Kind").asInt()) {
                    case 1 -> "A";
                    case 2 -> "D";
                    default -> "C";
                };
                sb.append(kind).append(' ').append(ch.path("Path").asText()).append('\n');
            }
            cli.out.print(sb);
            cli.out.flush();
            return 0;
        }
    }

    /** Writes a stream to {@code -o file} (atomically) or stdout (never a terminal). */
    static void writeOutput(Cli cli, InputStream in, String output) throws IOException {
        if (output == null || output.isEmpty()) {
            if (cli.stdoutTerminal) throw new Main.CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            in.transferTo(cli.out);
            cli.out.flush();
            return;
        }
        Path target = Path.of(output).toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), ".docker_temp_", "");
        try {
            try (OutputStream o = Files.newOutputStream(tmp)) {
                in.transferTo(o);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Command(description = "Export a container's filesystem as a tar archive")
    static final class Export extends BaseCommand {
        @Option(names = {"-o", "--output"}, description = "Write to a file, instead of STDOUT") String output;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() throws IOException {
            Main.requireArgs(args, 1, 1);
            if ((output == null || output.isEmpty()) && cli.stdoutTerminal)
                throw new Main.CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            try (InputStream in = client().stream("GET", "/containers/" + args.getFirst() + "/export", null)) {
                writeOutput(cli, in, output);
            }
            return 0;
        }
    }

    @Command(description = "Create a new image from a container's changes")
    static final class Commit extends BaseCommand {
        @Option(names = {"-a", "--author"}, description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")") String author;
        @Option(names = {"-c", "--change"}, description = "Apply Dockerfile instruction to the created image") List<String> changes = new ArrayList<>();
        @Option(names = {"-m", "--message"}, description = "Commit message") String message;
        @Option(names = {"-p", "--pause"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
                description = "Pause container during commit") boolean pause;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER [REPOSITORY[:TAG]]") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 1, 2);
            Query q = Query.of().add("container", args.getFirst());
            if (args.size() > 1) {
                Reference r;
                try {
                    r = Reference.parse(args.get(1));
                } catch (BerthException.InvalidArgument e) {
                    throw new Main.CliException(e.getMessage());
                }
                if (r.digest() != null) throw new Main.CliException("refusing to create a tag with a digest reference");
                q.add("repo", r.familiarName()).add("tag", r.tag());
            }
            q.add("comment", message).add("author", author);
            if (!pause) q.add("pause", "0");
            q.addAll("changes", changes);
            JsonNode resp = RunCommands.postJson(client(), "/commit", q, null);
            cli.out.println(resp.path("Id").asText());
            cli.out.flush();
            return 0;
        }
    }

    @Command(description = "Update configuration of one or more containers")
    static final class Update extends BaseCommand {
        @Option(names = "--blkio-weight", converter = Opts.Uint16.class, description = "Block IO (relative weight), between 10 and 1000, or 0 to disable") Integer blkioWeight;
        @Option(names = "--cpu-period", converter = Opts.Int64.class, description = "Limit CPU CFS (Completely Fair Scheduler) period") Long cpuPeriod;
        @Option(names = "--cpu-quota", converter = Opts.Int64.class, description = "Limit CPU CFS (Completely Fair Scheduler) quota") Long cpuQuota;
        @Option(names = "--cpu-rt-period", converter = Opts.Int64.class, description = "Limit the CPU real-time period in microseconds") Long cpuRtPeriod;
        @Option(names = "--cpu-rt-runtime", converter = Opts.Int64.class, description = "Limit the CPU real-time runtime in microseconds") Long cpuRtRuntime;
        @Option(names = {"-c", "--cpu-shares"}, converter = Opts.Int64.class, description = "CPU shares (relative weight)") Long cpuShares;
        @Option(names = "--cpus", converter = Opts.Cpus.class, description = "Number of CPUs") Long nanoCpus;
        @Option(names = "--cpuset-cpus", description = "CPUs in which to allow execution (0-3, 0,1)") String cpusetCpus;
        @Option(names = "--cpuset-mems", description = "MEMs in which to allow execution (0-3, 0,1)") String cpusetMems;
        @Option(names = {"-m", "--memory"}, converter = Opts.Mem.class, description = "Memory limit") Long memory;
        @Option(names = "--memory-reservation", converter = Opts.Mem.class, description = "Memory soft limit") Long memoryReservation;
        @Option(names = "--memory-swap", converter = Opts.MemSwap.class, description = "Swap limit equal to memory plus swap: -1 to enable unlimited swap") Long memorySwap;
        @Option(names = "--pids-limit", converter = Opts.Int64.class, description = "Tune container pids limit (set -1 for unlimited)") Long pidsLimit;
        @Option(names = "--restart", description = "Restart policy to apply when a container exits") String restart;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 1, Integer.MAX_VALUE);
            ObjectNode b = Json.wire().createObjectNode();
            int n = 0;
            if (blkioWeight != null) { b.put("BlkioWeight", blkioWeight); n++; }
            if (cpuPeriod != null) { b.put("CpuPeriod", cpuPeriod); n++; }
            if (cpuQuota != null) { b.put("CpuQuota", cpuQuota); n++; }
            if (cpuRtPeriod != null) { b.put("CpuRealtimePeriod", cpuRtPeriod); n++; }
            if (cpuRtRuntime != null) { b.put("CpuRealtimeRuntime", cpuRtRuntime); n++; }
            if (cpuShares != null) { b.put("CpuShares", cpuShares); n++; }
            if (nanoCpus != null) { b.put("NanoCpus", nanoCpus); n++; }
            if (cpusetCpus != null) { b.put("CpusetCpus", cpusetCpus); n++; }
            if (cpusetMems != null) { b.put("CpusetMems", cpusetMems); n++; }
            if (memory != null) { b.put("Memory", memory); n++; }
            if (memoryReservation != null) { b.put("MemoryReservation", memoryReservation); n++; }
            if (memorySwap != null) { b.put("MemorySwap", memorySwap); n++; }
            if (pidsLimit != null) { b.put("PidsLimit", pidsLimit); n++; }
            if (restart != null) {
                b.set("RestartPolicy", Json.wire().valueToTree(Opts.restartPolicy(restart).toJson()));
                n++;
            }
            if (n == 0) throw new Main.CliException("you must provide one or more flags when using this command");
            List<String> warnings = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (String c : args) {
                try {
                    JsonNode r = RunCommands.postJson(client(), "/containers/" + c + "/update", null, b);
                    r.path("Warnings").forEach(w -> warnings.add(w.asText()));
                    cli.out.println(c);
                } catch (ApiException e) {
                    errors.add(e.displayMessage());
                }
            }
            for (String w : warnings) cli.err.println(w);
            cli.out.flush();
            if (!errors.isEmpty()) throw new Main.CliException(String.join("\n", errors));
            return 0;
        }
    }
}
