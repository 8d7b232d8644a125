package io.berth.engine.build;

import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.build.dockerfile.Instruction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * RUN (moby's {@code dispatchRun} plus BuildKit's additions): the probe config whose Cmd carries the build args in
 * scope ({@code |N K=v… cmd}), a container running the command with the args in its environment, its output streamed,
 * a non-zero exit failing the build with Docker's message and code; here-documents, {@code --mount} and
 * {@code --network}.
 */
final class RunSteps {
    private final BuildRun run;
    private final StageBuilder stage;

    RunSteps(BuildRun run, StageBuilder stage) {
        this.run = run;
        this.stage = stage;
    }

    /** A RUN step's failure: Docker's message, the command's exit code in {@code errorDetail}. */
    static final class CommandFailed extends RuntimeException {
        final int code;

        CommandFailed(String message, int code) {
            super(message);
            this.code = code;
        }

        JsonMessage message() { return JsonMessage.error(getMessage(), code); }
    }

    void run(Instruction.Run r) {
        RunConfig state = stage.config();
        List<BuildBackend.Mount> mounts = new ArrayList<>();
        List<Path> cleanup = new ArrayList<>();
        List<Runnable> releases = new ArrayList<>();
        try {
            List<String> cmd = command(r, mounts, cleanup);
            List<String> buildArgs = stage.args().filterAllowed(state.env);
            List<String> saveCmd = cmd;
            if (!buildArgs.isEmpty()) {
                List<String> kept = new ArrayList<>();
                for (String kv : buildArgs) if (stage.args().referencedOrNotBuiltin(kv.substring(0, kv.indexOf('=')))) kept.add(kv);
                Collections.sort(kept);
                saveCmd = new ArrayList<>();
                saveCmd.add("|" + kept.size());
                saveCmd.addAll(kept);
                saveCmd.addAll(cmd);
            }
            RunConfig probeState = state.copy();
            probeState.cmd = saveCmd;
            probeState.argsEscaped = null;
            if (!saveCmd.isEmpty()) probeState.entrypoint = null;
            ContainerConfig probe = probeState.toConfig();
            if (stage.probe(probe)) return;

            RunConfig runState = state.copy();
            runState.cmd = cmd;
            runState.argsEscaped = null;
            runState.env.addAll(buildArgs);
            if (!saveCmd.isEmpty()) runState.entrypoint = List.of("");
            runState.healthcheck = Map.of("Test", List.of("NONE"));
            mounts.addAll(mounts(r, cleanup, releases));
            BuildBackend.RunHost base = stage.noMounts();
            var host = new BuildBackend.RunHost(stage.networkMode(r.network()), base.extraHosts(), base.resources(), mounts);
            String id = stage.create(runState.toConfig(), host);
            boolean ok = false;
            try {
                run.checkCancelled(); // a cancel that came while the container was created
                int code = run.backend.run(id, new BuildBackend.Output() {
                    @Override public void stdout(byte[] chunk) { stage.out().stdout(chunk); }

                    @Override public void stderr(byte[] chunk) { stage.out().stderr(chunk); }
                });
                run.checkCancelled();
                if (code != 0) {
                    throw new CommandFailed("The command '" + String.join(" ", cmd) + "' returned a non-zero code: " + code, code);
                }
                stage.imageId(run.backend.commit(id, stage.commit(probe, id), stage.removesContainers()));
                ok = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw BuildRun.canceled();
            } finally {
                stage.removeContainer(id, ok);
            }
        } finally {
            releases.forEach(Runnable::run);
            for (Path p : cleanup) Tree.delete(p);
        }
    }

    /**
     * The command line. Shell form through SHELL; with here-documents as BuildKit: {@code RUN <<EOF} alone runs the
     * body (with its shebang's interpreter when it has one, from a file mounted at {@code /dev/pipes/<name>}), otherwise
     * the line and the documents form one shell script.
     */
    private List<String> command(Instruction.Run r, List<BuildBackend.Mount> mounts, List<Path> cleanup) {
        Instruction.Command c = r.command();
        if (c.heredocs().isEmpty() || !c.prependShell()) return stage.commandLine(c);
        String line = c.args().isEmpty() ? "" : c.args().getFirst().trim();
        if (c.heredocs().size() == 1 && line.matches("<<-?\\s*[\"']?" + java.util.regex.Pattern.quote(c.heredocs().getFirst().name()) + "[\"']?")) {
            Instruction.Heredoc h = c.heredocs().getFirst();
            String body = h.content(); // the shell expands it, with the build args in its environment
            if (body.startsWith("#!")) {
                Path file = writeScript(body, cleanup);
                String target = "/dev/pipes/" + h.name();
                mounts.add(new BuildBackend.Mount("bind", file, target, true, List.of()));
                return List.of(target);
            }
            List<String> cmd = new ArrayList<>(stage.config().shellOrDefault());
            cmd.add(body);
            return cmd;
        }
        StringBuilder script = new StringBuilder(line).append('\n');
        for (Instruction.Heredoc h : c.heredocs()) script.append(h.content()).append(h.name()).append('\n');
        List<String> cmd = new ArrayList<>(stage.config().shellOrDefault());
        cmd.add(script.toString());
        return cmd;
    }

    private Path writeScript(String body, List<Path> cleanup) {
        try {
            Path file = Files.createTempFile(Builder.scratch(run.buildRoot), "heredoc", "");
            cleanup.add(file);
            Files.writeString(file, body, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code --mount} options as the backend's mounts: cache dirs, binds, tmpfs, secrets. */
    private List<BuildBackend.Mount> mounts(Instruction.Run r, List<Path> cleanup, List<Runnable> releases) {
        List<BuildBackend.Mount> out = new ArrayList<>();
        for (String spec : r.mounts()) {
            Map<String, String> o = RunMounts.parse(stage.expand(spec));
            String type = o.get("type");
            String target = o.get("target");
            switch (type) {
                case "cache" -> {
                    requireTarget(target, type);
                    CacheMounts.Held held = CacheMounts.hold(run.buildRoot, o.getOrDefault("id", target), o);
                    releases.add(held.release());
                    out.add(new BuildBackend.Mount("bind", held.dir(), target, "true".equals(o.get("ro")), List.of()));
                }
                case "tmpfs" -> {
                    requireTarget(target, type);
                    List<String> opts = o.containsKey("size") ? List.of("size=" + o.get("size")) : List.of();
                    out.add(new BuildBackend.Mount("tmpfs", null, target, false, opts));
                }
                case "secret" -> secret(o, cleanup).ifPresent(out::add);
                case "bind" -> {
                    requireTarget(target, type);
                    out.add(bind(o, cleanup));
                }
                default -> throw new BerthException.NotImplemented("RUN --mount=type=" + type + " is not supported");
            }
        }
        return out;
    }

    private static void requireTarget(String target, String type) {
        if (target == null || target.isEmpty()) {
            throw new BerthException.InvalidArgument("mount type=" + type + " requires a target");
        }
    }

    private java.util.Optional<BuildBackend.Mount> secret(Map<String, String> o, List<Path> cleanup) {
        String target = o.get("target");
        String id = o.getOrDefault("id", target == null ? null : Path.of(target).getFileName().toString());
        if (id == null) throw new BerthException.InvalidArgument("secret ID missing from mount options");
        byte[] value = run.request.secrets() == null ? null : run.request.secrets().get(id);
        if (value == null) {
            if ("true".equals(o.get("required"))) throw new BerthException.InvalidArgument("secret " + id + ": not found");
            return java.util.Optional.empty();
        }
        try {
            Path file = Files.createTempFile(Builder.scratch(run.buildRoot), "secret", "");
            cleanup.add(file);
            Files.write(file, value);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
            return java.util.Optional.of(new BuildBackend.Mount("bind", file, target == null ? "/run/secrets/" + id : target,
                    true, List.of()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bind from the context or a stage/image; {@code rw} writes go to a copy that is thrown away. */
    private BuildBackend.Mount bind(Map<String, String> o, List<Path> cleanup) {
        String from = o.get("from");
        try (StageBuilder.SourceRoot root = stage.sourceRoot(from)) {
            if (from == null || from.isEmpty()) run.context.materialize();
            String source = o.getOrDefault("source", "/");
            Path src = root.root().resolve(source.startsWith("/") ? source.substring(1) : source).normalize();
            if (!src.startsWith(root.root())) throw new BerthException.InvalidArgument("mount source " + source + " is outside the build context");
            Path copy = Files.createTempDirectory(Builder.scratch(run.buildRoot), "bind");
            cleanup.add(copy);
            Path dest = copy.resolve("src");
            Tree.copy(src, dest);
            return new BuildBackend.Mount("bind", dest, o.get("target"), !"true".equals(o.get("rw")), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
