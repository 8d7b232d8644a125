package io.berth.engine.build;

import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.build.dockerfile.Dockerfile;
import io.berth.engine.build.dockerfile.Instruction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds one stage (moby's {@code dispatchState} and {@code dispatchers.go}): FROM, the base image's ONBUILD triggers,
 * then each instruction — expanded where Docker expands, probed in the layer cache with Docker's probe config, and on a
 * miss run in a container (RUN), applied to a root file system over the image's without a container (COPY, ADD,
 * WORKDIR) or committed as metadata — with the classic builder's output lines.
 */
final class StageBuilder {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BuildRun run;
    private final Dockerfile.Stage stage;
    private final StepOutput out;
    private final BuildArgs args;
    private final RunSteps runSteps;
    private RunConfig config;
    private String imageId;
    private String os = "linux";
    private String maintainer;
    private boolean cacheBusted;
    private boolean cmdSet;
    private int step;

    StageBuilder(BuildRun run, Dockerfile.Stage stage, StepOutput out) {
        this.run = run;
        this.stage = stage;
        this.out = out;
        this.args = run.globalArgs.forStage();
        this.runSteps = new RunSteps(run, this);
        this.step = run.plan.firstStep().get(stage.index());
    }

    /** Builds the stage; returns its image ID (null for {@code FROM scratch} without a step). */
    BuildRun.StageResult build() {
        printStep(stage.source());
        from();
        out.write(" ---> " + id12(imageId) + "\n");
        for (Instruction i : stage.instructions()) {
            run.checkCancelled();
            printStep(i.source());
            dispatch(i);
            out.write(" ---> " + id12(imageId) + "\n");
        }
        if (imageId != null && run.auxAllowed()) out.send(JsonMessage.aux(Map.of("ID", imageId)));
        return new BuildRun.StageResult(imageId, os);
    }

    private void printStep(Dockerfile.Source source) {
        out.write("Step " + step++ + "/" + run.plan.totalSteps() + " : " + source.text());
        out.write("\n");
    }

    static String id12(String id) {
        if (id == null) return "";
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    // ---- FROM ----------------------------------------------------------------------------------------------------

    private void from() {
        String base = expandMeta(stage.base());
        Integer dep = StagePlan.stageIndex(base, stage.index(), run.dockerfile.stages());
        List<String> triggers = List.of();
        if (dep != null && !base.chars().allMatch(Character::isDigit)) {
            BuildRun.StageResult r = run.stages.get(dep).join();
            imageId = r.imageId();
            os = r.os();
            ContainerConfig base0 = imageId == null ? null : run.backend.image(imageId, noPull()).config();
            config = RunConfig.from(base0);
            if (base0 != null && base0.onBuild() != null) triggers = List.copyOf(base0.onBuild());
        } else if (base.equalsIgnoreCase("scratch")) {
            imageId = null;
            config = RunConfig.from(null);
        } else {
            String platform = stage.platform() == null ? run.request.platform() : expandMeta(stage.platform());
            BuildBackend.BaseImage img = run.backend.image(base, new BuildBackend.Pull(run.request.pull(), platform,
                    run.request.registryAuth(), out.asSink()));
            imageId = img.id();
            os = img.os() == null ? "linux" : img.os();
            config = RunConfig.from(img.config());
            if (img.config() != null && img.config().onBuild() != null) triggers = List.copyOf(img.config().onBuild());
        }
        config.onBuild = null;
        config.image = imageId == null ? "" : imageId;
        if (!triggers.isEmpty()) onBuildTriggers(triggers);
    }

    private BuildBackend.Pull noPull() {
        return new BuildBackend.Pull(false, null, run.request.registryAuth(), out.asSink());
    }

    private String expandMeta(String word) {
        List<String> env = new ArrayList<>();
        run.globalArgs.metaValues().forEach((k, v) -> env.add(k + "=" + v));
        return run.frontend.expand(word, env, run.dockerfile.escape());
    }

    /** moby's {@code dispatchTriggeredOnBuild}: the base image's ONBUILD instructions, run before the stage's own. */
    private void onBuildTriggers(List<String> triggers) {
        out.write("# Executing " + triggers.size() + " build trigger");
        if (triggers.size() > 1) out.write("s");
        out.write("\n");
        for (String t : triggers) {
            String keyword = t.trim().split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
            if (keyword.equals("ONBUILD") || keyword.equals("FROM") || keyword.equals("MAINTAINER")) {
                throw new BerthException.InvalidArgument(keyword + " isn't allowed as an ONBUILD trigger");
            }
            Dockerfile parsed = run.frontend.parse("FROM scratch\n" + t + "\n", "Dockerfile");
            for (Instruction i : parsed.stages().getFirst().instructions()) dispatch(i);
        }
    }

    // ---- dispatch ------------------------------------------------------------------------------------------------

    /** The environment words are expanded with: the config's Env, then the allowed build args it does not set. */
    List<String> expansionEnv() {
        List<String> env = new ArrayList<>(config.env);
        env.addAll(args.filterAllowed(config.env));
        return env;
    }

    String expand(String word) {
        return word == null ? null : run.frontend.expand(word, expansionEnv(), run.dockerfile.escape());
    }

    private List<String> expandAll(List<String> words) {
        List<String> env = expansionEnv();
        List<String> result = new ArrayList<>();
        for (String w : words) result.add(run.frontend.expand(w, env, run.dockerfile.escape()));
        return result;
    }

    private void dispatch(Instruction instruction) {
        switch (instruction) {
            case Instruction.Run r -> runSteps.run(r);
            case Instruction.Copy c -> copy(c, c.from());
            case Instruction.Add a -> copy(a, null);
            case Instruction.Env e -> {
                StringBuilder msg = new StringBuilder("ENV");
                List<String> env = expansionEnv();
                for (Instruction.KeyValue kv : e.pairs()) {
                    String k = run.frontend.expand(kv.key(), env, run.dockerfile.escape());
                    String v = run.frontend.expand(kv.value(), env, run.dockerfile.escape());
                    config.setEnv(k, v);
                    msg.append(' ').append(k).append('=').append(v);
                }
                commitMetadata(msg.toString());
            }
            case Instruction.Label l -> {
                StringBuilder msg = new StringBuilder("LABEL");
                List<String> env = expansionEnv();
                boolean fromRequest = l.source().startLine() == 0;
                for (Instruction.KeyValue kv : l.pairs()) {
                    String k = fromRequest ? kv.key() : run.frontend.expand(kv.key(), env, run.dockerfile.escape());
                    String v = fromRequest ? kv.value() : run.frontend.expand(kv.value(), env, run.dockerfile.escape());
                    config.addLabel(k, v);
                    msg.append(' ').append(k).append('=').append(v);
                }
                commitMetadata(msg.toString());
            }
            case Instruction.Arg a -> {
                StringBuilder msg = new StringBuilder("ARG ");
                List<String> env = expansionEnv();
                for (int n = 0; n < a.args().size(); n++) {
                    Instruction.KeyValue kv = a.args().get(n);
                    String k = run.frontend.expand(kv.key(), env, run.dockerfile.escape());
                    String v = kv.value() == null ? null : run.frontend.expand(kv.value(), env, run.dockerfile.escape());
                    if (n > 0) msg.append(' ');
                    msg.append(k);
                    if (v != null) msg.append('=').append(v);
                    args.addArg(k, v);
                }
                commitMetadata(msg.toString());
            }
            case Instruction.Expose e -> {
                List<String> words = new ArrayList<>();
                for (String p : e.ports()) words.addAll(run.frontend.expandWords(p, expansionEnv(), run.dockerfile.escape()));
                TreeSet<String> ports = new TreeSet<>();
                for (String p : words) ports.addAll(ports(p));
                ports.forEach(config::addExposedPort);
                commitMetadata("EXPOSE " + String.join(" ", words));
            }
            case Instruction.Workdir w -> workdir(expand(w.path()));
            case Instruction.User u -> {
                config.user = expand(u.user());
                commitMetadata("USER " + config.user);
            }
            case Instruction.Volume v -> {
                List<String> paths = expandAll(v.paths());
                for (String p : paths) {
                    if (p.isBlank()) throw new BerthException.InvalidArgument("VOLUME specified can not be an empty string");
                    config.addVolume(p);
                }
                commitMetadata("VOLUME " + GoFormat.list(paths));
            }
            case Instruction.StopSignal s -> {
                config.stopSignal = expand(s.signal());
                io.berth.engine.container.Signals.parse(config.stopSignal, io.berth.engine.container.Signals.SIGTERM);
                commitMetadata("STOPSIGNAL " + config.stopSignal);
            }
            case Instruction.Shell s -> {
                config.shell = List.copyOf(s.shell());
                commitMetadata("SHELL " + GoFormat.list(s.shell()));
            }
            case Instruction.Maintainer m -> {
                maintainer = m.maintainer();
                commitMetadata("MAINTAINER " + m.maintainer());
            }
            case Instruction.Onbuild o -> {
                config.addOnBuild(o.expression());
                commitMetadata("ONBUILD " + o.expression());
            }
            case Instruction.Healthcheck h -> healthcheck(h);
            case Instruction.Cmd c -> {
                List<String> cmd = commandLine(c.command());
                config.cmd = cmd;
                config.argsEscaped = null;
                commitMetadata("CMD " + GoFormat.quoteList(cmd));
                if (!c.command().args().isEmpty()) cmdSet = true;
            }
            case Instruction.Entrypoint e -> {
                List<String> ep = commandLine(e.command());
                config.entrypoint = ep;
                config.argsEscaped = null;
                if (!cmdSet) config.cmd = null;
                commitMetadata("ENTRYPOINT " + GoFormat.quoteList(ep));
            }
        }
        config.image = imageId == null ? "" : imageId;
    }

    /** moby's {@code resolveCmdLine} on Linux: the shell form runs through SHELL. */
    List<String> commandLine(Instruction.Command c) {
        if (c.args().isEmpty()) return List.of();
        if (!c.prependShell()) return List.copyOf(c.args());
        List<String> cmd = new ArrayList<>(config.shellOrDefault());
        cmd.addAll(c.args());
        return cmd;
    }

    /** {@code 80} → {@code 80/tcp}; a range {@code 8000-8002/udp} → each port. */
    private static List<String> ports(String spec) {
        String proto = "tcp";
        String p = spec;
        int slash = p.indexOf('/');
        if (slash >= 0) {
            proto = p.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
            p = p.substring(0, slash);
        }
        int colon = p.lastIndexOf(':');
        if (colon >= 0) p = p.substring(colon + 1);
        List<String> out = new ArrayList<>();
        try {
            int dash = p.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1));
            if (lo < 0 || hi > 65535 || hi < lo) throw new NumberFormatException();
            for (int i = lo; i <= hi; i++) out.add(i + "/" + proto);
        } catch (NumberFormatException e) {
            throw new BerthException.InvalidArgument("invalid containerPort: " + p);
        }
        return out;
    }

    /**
     * moby's {@code dispatchHealthcheck}: the history text is Go's {@code %q} of the config (v25+'s, with StartInterval):
     * {@code &{["CMD-SHELL" "true"] "5s" "0s" "0s" "0s" '\x00'}}.
     */
    private void healthcheck(Instruction.Healthcheck h) {
        if (config.healthcheck instanceof Map<?, ?> old && old.get("Test") instanceof List<?> oldTest && !oldTest.isEmpty()
                && !"NONE".equals(oldTest.getFirst())) {
            out.write("Note: overriding previous HEALTHCHECK: " + GoFormat.list(oldTest.stream().map(String::valueOf).toList()) + "\n");
        }
        Map<String, Object> hc = new LinkedHashMap<>();
        hc.put("Test", h.test());
        putDuration(hc, "Interval", h.interval());
        putDuration(hc, "Timeout", h.timeout());
        putDuration(hc, "StartPeriod", h.startPeriod());
        putDuration(hc, "StartInterval", h.startInterval());
        if (h.retries() != null && h.retries() != 0) hc.put("Retries", h.retries());
        config.healthcheck = hc;
        String text = "&{" + GoFormat.quoteList(h.test()) + " " + GoFormat.quote(GoFormat.duration(h.interval()))
                + " " + GoFormat.quote(GoFormat.duration(h.timeout())) + " " + GoFormat.quote(GoFormat.duration(h.startPeriod()))
                + " " + GoFormat.quote(GoFormat.duration(h.startInterval()))
                + " " + GoFormat.quoteRune(h.retries() == null ? 0 : h.retries()) + "}";
        commitMetadata("HEALTHCHECK " + text);
    }

    private static void putDuration(Map<String, Object> hc, String key, java.time.Duration d) {
        if (d != null && !d.isZero()) hc.put(key, d.toNanos());
    }

    // ---- commits -------------------------------------------------------------------------------------------------

    /** The config a step is probed and committed with: the state's, Cmd replaced by {@code cmd}. */
    ContainerConfig withCmd(List<String> cmd) {
        RunConfig c = config.copy();
        c.cmd = cmd;
        return c.toConfig();
    }

    /** A metadata step: Cmd {@code [shell…, "#(nop) ", comment]}, probed; on a miss, committed without a layer. */
    private void commitMetadata(String comment) {
        List<String> cmd = new ArrayList<>(config.shellOrDefault());
        cmd.add("#(nop) ");
        cmd.add(comment);
        ContainerConfig probe = withCmd(cmd);
        if (probe(probe)) return;
        imageId = withoutContainer(shownId -> run.backend.commitMetadata(commit(probe, shownId)));
    }

    /**
     * A step Docker runs in a container and Berth does without one: {@code commit} between the container lines Docker
     * prints, with a random ID.
     */
    private String withoutContainer(java.util.function.Function<String, String> commit) {
        String shownId = randomId();
        out.write(" ---> Running in " + id12(shownId) + "\n");
        String id = commit.apply(shownId);
        if (removesContainers()) out.write(" ---> Removed intermediate container " + id12(shownId) + "\n");
        return id;
    }

    /** The ID of a container Docker would have made for a step Berth makes without one. */
    private static String randomId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * A step's commit from container {@code containerId}: the image's config is the state's, its {@code container_config}
     * the probe as the step's container had it (moby stores the container's Config: its Hostname, the parent as Image).
     */
    BuildBackend.Commit commit(ContainerConfig probe, String containerId) {
        RunConfig c = config.copy();
        c.image = imageId == null ? "" : imageId;
        com.fasterxml.jackson.databind.node.ObjectNode stored = io.berth.api.Json.wire().valueToTree(probe);
        stored.put("Hostname", id12(containerId));
        stored.put("Image", c.image);
        return new BuildBackend.Commit(imageId, c.toConfig(), io.berth.api.Json.wire().convertValue(stored, ContainerConfig.class),
                String.join(" ", probe.cmd()), maintainer);
    }

    /** moby's {@code probeCache}: true on a hit (the stage moves on to the cached image). */
    boolean probe(ContainerConfig probe) {
        if (run.request.noCache() || cacheBusted) return false;
        String hit = run.backend.probe(imageId, probe, run.request.cacheFrom() == null ? List.of() : run.request.cacheFrom());
        if (hit == null) {
            cacheBusted = true;
            return false;
        }
        out.write(" ---> Using cache\n");
        imageId = hit;
        return true;
    }

    /** WORKDIR: the directory is created in a root file system over the image's and committed ({@code #(nop) WORKDIR /x}). */
    private void workdir(String path) {
        String dir = path.startsWith("/") ? path : (config.workingDir.isEmpty() ? "/" : config.workingDir) + "/" + path;
        config.workingDir = Path.of("/").resolve(dir).normalize().toString();
        List<String> cmd = new ArrayList<>(config.shellOrDefault());
        cmd.add("#(nop) WORKDIR " + config.workingDir);
        ContainerConfig probe = withCmd(cmd);
        if (probe(probe)) return;
        String workingDir = config.workingDir;
        imageId = withoutContainer(shownId -> {
            try {
                return run.backend.commitChange(commit(probe, shownId), root -> Files.createDirectories(root.resolve(workingDir.substring(1))));
            } catch (IOException e) {
                throw new BerthException.SystemError("cannot create the working directory " + workingDir + ": " + e.getMessage(), e);
            }
        });
    }

    BuildBackend.RunHost noMounts() {
        return new BuildBackend.RunHost(networkMode(null), run.request.extraHosts() == null ? List.of() : run.request.extraHosts(),
                run.request.resources(), List.of());
    }

    String networkMode(String runNetwork) {
        if (runNetwork != null && !runNetwork.isEmpty()) return runNetwork;
        String m = run.request.networkMode();
        return m == null || m.isEmpty() ? "default" : m;
    }

    /** Creates a build container and prints {@code  ---> Running in <id>}. */
    String create(ContainerConfig cfg, BuildBackend.RunHost host) {
        String id = run.backend.createContainer(imageId, cfg, host);
        run.track(id);
        out.write(" ---> Running in " + id12(id) + "\n");
        return id;
    }

    /** Whether a step's container is removed after it succeeded ({@code rm} or {@code forcerm}). */
    boolean removesContainers() { return run.request.remove() || run.request.forceRemove(); }

    /** moby's {@code RemoveAll} after a step: with {@code rm} after a success, with {@code forcerm} always. */
    void removeContainer(String id, boolean succeeded) {
        if (run.request.forceRemove() || (run.request.remove() && succeeded)) {
            run.remove(id);
            out.write(" ---> Removed intermediate container " + id12(id) + "\n");
        }
    }

    // ---- COPY / ADD ----------------------------------------------------------------------------------------------

    private void copy(Instruction instruction, String from) {
        Instruction expanded = switch (instruction) {
            case Instruction.Copy c -> new Instruction.Copy(c.source(), expandAll(c.sources()), expand(c.dest()),
                    heredocs(c.heredocs()), c.from(), expand(c.chown()), expand(c.chmod()), c.link(), c.parents(), c.excludes());
            case Instruction.Add a -> new Instruction.Add(a.source(), expandAll(a.sources()), expand(a.dest()),
                    heredocs(a.heredocs()), expand(a.chown()), expand(a.chmod()), a.link(), a.parents(), a.excludes(),
                    expand(a.checksum()), a.keepGitDir(), a.unpack());
            default -> throw new IllegalArgumentException(instruction.keyword());
        };
        try (SourceRoot source = copySource(from);
             BuildFrontend.PreparedCopy prepared = run.frontend.planCopy(expanded, source.root(), from == null || from.isEmpty(), config.workingDir)) {
            List<String> cmd = new ArrayList<>(config.shellOrDefault());
            cmd.add("#(nop) " + prepared.cacheKey());
            ContainerConfig probe = withCmd(cmd);
            if (probe(probe)) return;
            imageId = run.backend.commitChange(commit(probe, randomId()), prepared::apply); // moby's unprinted container
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Here-documents with their variables expanded unless the delimiter was quoted. Only {@code $V} and {@code ${V}}
     * are replaced ({@code \$} stays a literal {@code $}): quotes in a file's text are content, not shell syntax.
     */
    private List<Instruction.Heredoc> heredocs(List<Instruction.Heredoc> docs) {
        if (docs == null) return List.of();
        return docs.stream().map(h -> h.expand()
                ? new Instruction.Heredoc(h.name(), expandVariables(h.content()), true, h.chomp()) : h).toList();
    }

    private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("\\\\\\$|\\$\\{(\\w+)}|\\$(\\w+)");

    private String expandVariables(String text) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String e : expansionEnv()) {
            int eq = e.indexOf('=');
            if (eq > 0) vars.putIfAbsent(e.substring(0, eq), e.substring(eq + 1));
        }
        java.util.regex.Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = name == null ? "$" : vars.getOrDefault(name, "");
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@link #sourceRoot} for COPY/ADD: moby's dispatchCopy wraps what {@code --from} fails with. */
    private SourceRoot copySource(String from) {
        try {
            return sourceRoot(from);
        } catch (BerthException e) {
            if (from == null || from.isEmpty()) throw e;
            throw io.berth.engine.build.context.Errors.wrap("invalid from flag value " + from, e);
        }
    }

    /** Where COPY reads: the context, or a stage's or an image's root file system ({@code --from}). */
    SourceRoot sourceRoot(String from) {
        if (from == null || from.isEmpty()) return new SourceRoot(run.context.root(), null, false);
        String ref = expandMeta(from);
        Integer index = StagePlan.stageIndex(ref, stage.index(), run.dockerfile.stages());
        String image;
        if (index != null) {
            image = run.stages.get(index).join().imageId();
        } else {
            image = run.backend.image(ref, new BuildBackend.Pull(false, run.request.platform(), run.request.registryAuth(),
                    out.asSink())).id();
        }
        if (image == null) {
            try {
                return new SourceRoot(Files.createTempDirectory(Builder.scratch(run.buildRoot), "scratch"), null, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        BuildBackend.ImageRoot mounted = run.backend.mountImage(image);
        return new SourceRoot(mounted.root(), mounted, false);
    }

    /**
     * A source root and, when it was mounted for the step, what unmounts it; {@code temporary} (an empty directory
     * standing for a scratch stage) is deleted after the step.
     */
    record SourceRoot(Path root, BuildBackend.ImageRoot mount, boolean temporary) implements AutoCloseable {
        @Override public void close() {
            if (mount != null) mount.close();
            if (temporary) Tree.delete(root);
        }
    }

    // ---- accessors for RunSteps ----------------------------------------------------------------------------------

    RunConfig config() { return config; }

    BuildArgs args() { return args; }

    StepOutput out() { return out; }

    String imageId() { return imageId; }

    void imageId(String id) { imageId = id; }
}
