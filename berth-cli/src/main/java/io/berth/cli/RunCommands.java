package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.client.ApiException;
import io.berth.client.BerthClient;
import io.berth.client.BerthClient.Query;
import io.berth.client.DaemonUnavailableException;
import io.berth.client.HijackedConnection;
import io.berth.client.HttpResponse;
import io.berth.oci.Reference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code create}, {@code run} and {@code exec}: the commands that make processes, following docker/cli's flow. */
final class RunCommands {
    private RunCommands() {}

    static JsonNode readJson(byte[] bytes) {
        try {
            return bytes.length == 0 ? NullNode.getInstance() : JsonTree.read(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] writeJson(Object node) {
        try {
            return Json.wire().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs a JSON body; returns the parsed answer. */
    static JsonNode postJson(BerthClient c, String path, Query q, Object body) {
        try (HttpResponse r = c.call("POST", path, q, Map.of("Content-Type", "application/json"),
                body == null ? null : new ByteArrayInputStream(writeJson(body)))) {
            return readJson(r.body().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** docker's createContainer: create, and on 404 pull the image (when allowed) and create again. */
    static String createContainer(Cli cli, RunOptions o, RunOptions.Spec spec) {
        Query q = Query.of().add("name", spec.name() == null || spec.name().isEmpty() ? null : spec.name());
        if (o.platform != null) q.add("platform", o.platform);
        Reference ref = null;
        try {
            ref = Reference.parse(spec.image());
        } catch (BerthException.InvalidArgument ignored) {
            // not a name: no pull
        }
        if (o.pull.equals("always") && ref != null) pull(cli, ref, o.quiet);
        JsonNode resp;
        try {
            resp = postJson(cli.client(), "/containers/create", q, spec.body());
        } catch (ApiException e) {
            if (e.status() != 404 || ref == null || !o.pull.equals("missing")) throw e;
            String familiar = ref.familiarName() + (ref.digest() != null ? "@" + ref.digest() : ":" + (ref.tag() == null ? "latest" : ref.tag()));
            if (!o.quiet) {
                cli.err.println("Unable to find image '" + familiar + "' locally");
                cli.err.flush();
            }
            pull(cli, ref, o.quiet);
            resp = postJson(cli.client(), "/containers/create", q, spec.body());
        }
        if (resp.has("Warnings") && resp.get("Warnings").isArray())
            for (JsonNode w : resp.get("Warnings")) cli.err.println("WARNING: " + w.asText());
        return resp.path("Id").asText();
    }

    /** {@code POST /images/create?fromImage=…&tag=…}, progress to stderr (as docker's run does). */
    static void pull(Cli cli, Reference ref, boolean quiet) {
        RegistryCommands.pull(cli, ref.tag() == null && ref.digest() == null ? ref.withDefaultTag() : ref, false, null,
                quiet ? null : cli.err, false);
    }

    static String errorText(RuntimeException e) {
        return e instanceof ApiException a ? a.displayMessage() : e.getMessage();
    }

    /** docker's runStartContainerErr: 127 not found, 126 cannot invoke, else 125. */
    static int startErrorCode(String message) {
        String m = message.startsWith("Error response from daemon: ") ? message.substring("Error response from daemon: ".length()) : message;
        if (m.contains("executable file not found") || m.contains("no such file or directory") || m.contains("system cannot find the file specified"))
            return 127;
        if (m.contains("permission denied") || m.contains("is a directory")) return 126;
        return 125;
    }

    static void resize(Cli cli, String path) {
        int[] size = Terminal.size();
        if (size == null) return;
        try {
            cli.client().raw("POST", path, Query.of().add("h", Integer.toString(size[0])).add("w", Integer.toString(size[1])));
        } catch (ApiException e) {
            // docker only logs resize failures
        }
    }

    @Command(description = "Create a new container")
    static final class Create extends BaseCommand {
        @Mixin RunOptions o;
        @Parameters(arity = "0..*", paramLabel = "IMAGE [COMMAND] [ARG...]") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 1, Integer.MAX_VALUE);
            RunOptions.Spec spec = o.build(cli, args, false);
            String id = createContainer(cli, o, spec);
            cli.out.println(id);
            cli.out.flush();
            return 0;
        }
    }

    @Command(description = "Create and run a new container from an image")
    static final class Run extends BaseCommand {
        @Mixin RunOptions o;
        @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID") boolean detach;
        @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container") String detachKeys;
        @Option(names = "--sig-proxy", arity = "0..1", fallbackValue = "true", defaultValue = "true",
                description = "Proxy received signals to the process") boolean sigProxy;
        @Parameters(arity = "0..*", paramLabel = "IMAGE [COMMAND] [ARG...]") List<String> args = new ArrayList<>();

        @Override int execute() throws IOException {
            Main.requireArgs(args, 1, Integer.MAX_VALUE);
            if (!detach) {
                if (o.tty && (o.interactive || o.attach.stream().anyMatch(a -> a.equalsIgnoreCase("stdin"))) && !cli.stdinTerminal)
                    throw new Main.CliException("the input device is not a TTY");
            } else if (!o.attach.isEmpty()) {
                throw new Main.CliException("conflicting options: cannot specify both --attach and --detach");
            }
            RunOptions.Spec spec = o.build(cli, args, detach);
            BerthClient c = client();
            String id;
            try {
                id = createContainer(cli, o, spec);
            } catch (ApiException | Main.CliException | DaemonUnavailableException e) {
                reportError(errorText(e), true);
                return startErrorCode(errorText(e));
            }
            boolean attachAny = spec.attachStdin() || spec.attachStdout() || spec.attachStderr();
            if (!spec.attachStdout() && !spec.attachStderr()) {
                cli.out.println(id);
                cli.out.flush();
            }
            AttachStreamer streamer = null;
            if (attachAny) {
                Query q = Query.of().flag("stream", true).flag("stdin", spec.attachStdin()).flag("stdout", spec.attachStdout())
                        .flag("stderr", spec.attachStderr()).add("detachKeys", detachKeys);
                HijackedConnection h;
                try {
                    h = c.hijack("/containers/" + id + "/attach", q, null);
                } catch (ApiException e) {
                    reportError(e.displayMessage(), false);
                    return 125;
                }
                streamer = new AttachStreamer(cli, h, spec.tty(), spec.attachStdin(), detachKeys).start();
            }
            BerthClient.PendingResponse wait = c.begin("POST",
                    c.path("/containers/" + id + "/wait", Query.of().add("condition", o.autoRemove ? "removed" : "next-exit")), null, null)
                    .headReceived(); // as the docker CLI: the daemon has the wait before the start, or a quick --rm could beat it
            try {
                c.raw("POST", "/containers/" + id + "/start", null);
            } catch (ApiException e) {
                if (streamer != null) streamer.close();
                reportError(e.displayMessage(), false);
                if (o.autoRemove) waitStatus(wait);
                else wait.close();
                return startErrorCode(e.displayMessage());
            }
            SignalProxy proxy = !spec.tty() && sigProxy && !detach ? SignalProxy.install(cli, id) : null;
            try {
                if (attachAny && spec.tty() && cli.stdoutTerminal) resize(cli, "/containers/" + id + "/resize");
                if (streamer != null && streamer.awaitDetached(wait)) return 0;
                if (!spec.attachStdout() && !spec.attachStderr()) {
                    wait.close();
                    return 0;
                }
                return waitStatus(wait);
            } finally {
                if (proxy != null) proxy.uninstall();
            }
        }

        private int waitStatus(BerthClient.PendingResponse wait) {
            try (HttpResponse r = wait.awaitOk()) {
                JsonNode n = readJson(r.body().readAllBytes());
                if (n.hasNonNull("Error") && n.get("Error").hasNonNull("Message")) {
                    cli.err.println("Error waiting for container: " + n.get("Error").get("Message").asText());
                    return 125;
                }
                return n.path("StatusCode").asInt(125);
            } catch (ApiException e) {
                cli.err.println("error waiting for container: " + e.displayMessage());
                return 125;
            } catch (IOException | UncheckedIOException e) {
                cli.err.println("error waiting for container: " + e.getMessage());
                return 125;
            }
        }

        private void reportError(String msg, boolean withHelp) {
            cli.err.println("berth: " + msg);
            if (withHelp) {
                cli.err.println();
                cli.err.println("Run '" + spec.qualifiedName() + " --help' for more information");
            }
            cli.err.flush();
        }
    }

    @Command(description = "Execute a command in a running container")
    static final class Exec extends BaseCommand {
        @Option(names = {"-d", "--detach"}, description = "Detached mode: run command in the background") boolean detach;
        @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached") boolean interactive;
        @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY") boolean tty;
        @Option(names = {"-e", "--env"}, description = "Set environment variables") List<String> env = new ArrayList<>();
        @Option(names = "--env-file", description = "Read in a file of environment variables") List<String> envFile = new ArrayList<>();
        @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container") String workdir;
        @Option(names = {"-u", "--user"}, description = "Username or UID (format: \"<name|uid>[:<group|gid>]\")") String user;
        @Option(names = "--privileged", description = "Give extended privileges to the command") boolean privileged;
        @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container") String detachKeys;
        @Parameters(arity = "0..*", paramLabel = "CONTAINER COMMAND [ARG...]") List<String> args = new ArrayList<>();

        @Override int execute() throws IOException {
            Main.requireArgs(args, 2, Integer.MAX_VALUE);
            String container = args.getFirst();
            List<String> envs = new ArrayList<>();
            for (String f : envFile) envs.addAll(Opts.envFile(f, cli.env));
            for (String e : env) envs.add(Opts.env(e, cli.env));
            ObjectNode body = Json.wire().createObjectNode();
            body.put("User", user == null ? "" : user);
            body.put("Privileged", privileged);
            body.put("Tty", tty);
            body.put("AttachStdin", interactive && !detach);
            body.put("AttachStderr", !detach);
            body.put("AttachStdout", !detach);
            body.put("DetachKeys", detachKeys == null ? "" : detachKeys);
            var envArr = body.putArray("Env");
            envs.forEach(envArr::add);
            body.put("WorkingDir", workdir == null ? "" : workdir);
            var cmd = body.putArray("Cmd");
            args.subList(1, args.size()).forEach(cmd::add);
            if (tty && interactive && !detach && !cli.stdinTerminal) throw new Main.CliException("the input device is not a TTY");
            BerthClient c = client();
            JsonNode created = postJson(c, "/containers/" + container + "/exec", null, body);
            String execId = created.path("Id").asText();
            if (execId.isEmpty()) throw new Main.CliException("exec ID empty");
            ObjectNode start = Json.wire().createObjectNode();
            start.put("Detach", detach);
            start.put("Tty", tty);
            if (detach) {
                postJson(c, "/exec/" + execId + "/start", null, start);
                return 0;
            }
            HijackedConnection h = c.hijack("/exec/" + execId + "/start", null, writeJson(start));
            AttachStreamer s = new AttachStreamer(cli, h, tty, interactive, detachKeys).start();
            if (tty && cli.stdoutTerminal) resize(cli, "/exec/" + execId + "/resize");
            if (s.awaitAndClose()) return 0;
            JsonNode inspect = readJson(c.raw("GET", "/exec/" + execId + "/json", null));
            int code = inspect.path("ExitCode").asInt(0);
            if (code != 0) throw new Main.CliException("", code);
            return 0;
        }
    }
}
