package io.berth.engine.build;

import io.berth.api.Filters;
import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.engine.build.dockerfile.Dockerfile;
import io.berth.engine.build.dockerfile.Instruction;
import io.berth.engine.service.BuildService;
import io.berth.engine.service.ProgressSink;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Dockerfile builder behind {@code POST /build} (moby's {@code builder/dockerfile.Builder}): the classic builder's
 * stream and cache, BuildKit's Dockerfile syntax and stage pruning. The stages the target needs are built at once on
 * virtual threads, each waiting only for the stages it reads from; their output is sent in stage order. The engine is
 * reached only through {@link BuildBackend}, the parser and context only through {@link BuildFrontend}.
 */
public final class Builder implements BuildService {
    private final BuildBackend backend;
    private final BuildFrontend frontend;
    private final Path buildRoot;
    private final Map<String, BuildRun> running = new ConcurrentHashMap<>();

    /**
     * {@code buildRoot} is {@code <data-root>/build}: cache mounts and each build's scratch files; what a daemon that
     * stopped mid-build left in {@link #scratch} is deleted now.
     */
    public Builder(BuildBackend backend, BuildFrontend frontend, Path buildRoot) {
        this.backend = backend;
        this.frontend = frontend;
        this.buildRoot = buildRoot;
        if (Files.exists(scratch(buildRoot))) Tree.delete(scratch(buildRoot));
    }

    /** Where builds unpack contexts and keep their temporary files (heredoc scripts, secrets, bind copies). */
    public static Path scratch(Path buildRoot) { return buildRoot.resolve("tmp"); }

    @Override public String build(BuildRequest request, InputStream context, ProgressSink progress) {
        List<Reference> tags = tags(request.tags());
        String dockerfileName = request.dockerfile() == null || request.dockerfile().isEmpty() ? "Dockerfile" : request.dockerfile();
        try (BuildFrontend.Context ctx = frontend.open(context, request.remote(), dockerfileName)) {
            String text = ctx.dockerfile();
            if (text.isEmpty()) throw new BerthException.InvalidArgument("the Dockerfile (" + dockerfileName + ") cannot be empty");
            Dockerfile parsed = frontend.parse(text, dockerfileName);
            BuildArgs args = new BuildArgs(request.buildArgs());
            for (Instruction.Arg meta : parsed.metaArgs()) {
                for (Instruction.KeyValue kv : meta.args()) {
                    List<String> env = new ArrayList<>();
                    args.metaValues().forEach((k, v) -> env.add(k + "=" + v));
                    String v = kv.value() == null ? null : frontend.expand(kv.value(), env, parsed.escape());
                    args.addMetaArg(frontend.expand(kv.key(), env, parsed.escape()), v);
                }
            }
            StagePlan plan = StagePlan.of(parsed, request.target(), word -> expandMeta(word, args, parsed.escape()));
            Dockerfile df = withLabels(parsed, plan, request.labels());
            plan = StagePlan.of(df, request.target(), word -> expandMeta(word, args, parsed.escape()));
            Files.createDirectories(scratch(buildRoot));
            BuildRun run = new BuildRun(request, backend, frontend, ctx, df, plan, args, buildRoot);
            String buildId = request.buildId();
            if (buildId != null && !buildId.isEmpty()) running.put(buildId, run);
            try {
                return run(run, tags, progress);
            } finally {
                if (buildId != null && !buildId.isEmpty()) running.remove(buildId, run);
                run.removeAll();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String expandMeta(String word, BuildArgs args, char escape) {
        if (word == null) return null;
        List<String> env = new ArrayList<>();
        args.metaValues().forEach((k, v) -> env.add(k + "=" + v));
        return frontend.expand(word, env, escape);
    }

    private static List<Reference> tags(List<String> tags) {
        List<Reference> out = new ArrayList<>();
        for (String t : tags == null ? List.<String>of() : tags) {
            if (t == null || t.isEmpty()) continue;
            Reference r = Reference.parse(t);
            if (r.digest() != null) throw new BerthException.InvalidArgument("invalid reference format");
            out.add(r.withDefaultTag());
        }
        return out;
    }

    /**
     * The request's {@code labels} as moby adds them: a {@code LABEL "k"='v' …} step at the end of the target stage
     * (keys sorted). Its source line is 0: its values are taken as they are, never expanded.
     */
    private static Dockerfile withLabels(Dockerfile df, StagePlan plan, Map<String, String> labels) {
        if (labels == null || labels.isEmpty() || plan.targetIndex() < 0) return df;
        StringBuilder text = new StringBuilder("LABEL");
        List<Instruction.KeyValue> pairs = new ArrayList<>();
        new TreeMap<>(labels).forEach((k, v) -> {
            text.append(' ').append(GoFormat.quote(k)).append("='").append(v).append('\'');
            pairs.add(new Instruction.KeyValue(k, v));
        });
        List<Dockerfile.Stage> stages = new ArrayList<>(df.stages());
        Dockerfile.Stage target = stages.get(plan.targetIndex());
        List<Instruction> instructions = new ArrayList<>(target.instructions());
        instructions.add(new Instruction.Label(new Dockerfile.Source(text.toString(), 0, 0), pairs));
        stages.set(plan.targetIndex(), new Dockerfile.Stage(target.index(), target.name(), target.base(), target.platform(),
                target.source(), instructions));
        return new Dockerfile(df.directives(), df.metaArgs(), stages);
    }

    private String run(BuildRun run, List<Reference> tags, ProgressSink progress) {
        StepOutput out = StepOutput.direct(progress);
        int step = 1;
        for (Instruction.Arg meta : run.dockerfile.metaArgs()) {
            out.write("Step " + step++ + "/" + run.plan.totalSteps() + " : " + meta.source().text());
            out.write("\n");
        }
        List<Dockerfile.Stage> stages = run.plan.stages();
        List<StepOutput> outputs = new ArrayList<>();
        BuildRun.StageResult last = null;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Dockerfile.Stage s : stages) {
                StepOutput stageOut = StepOutput.kept();
                outputs.add(stageOut);
                CompletableFuture<BuildRun.StageResult> done = run.stages.get(s.index());
                threads.submit(() -> {
                    try {
                        done.complete(new StageBuilder(run, s, stageOut).build());
                    } catch (Throwable t) {
                        done.completeExceptionally(t);
                    }
                });
            }
            try {
                for (int i = 0; i < stages.size(); i++) {
                    outputs.get(i).goLive(progress);
                    last = join(run.stages.get(stages.get(i).index()));
                }
            } catch (RuntimeException e) {
                run.cancel();
                throw e;
            }
        } catch (RunSteps.CommandFailed e) {
            progress.send(e.message());
            throw new BerthException.SystemError(e.getMessage(), e);
        }
        List<String> unused = run.globalArgs.unused();
        if (!unused.isEmpty()) out.write("[Warning] One or more build-args " + GoFormat.list(unused) + " were not consumed\n");
        if (last == null || last.imageId() == null) {
            throw new BerthException.InvalidArgument("No image was generated. Is your Dockerfile empty?");
        }
        String id = last.imageId();
        out.write("Successfully built " + StageBuilder.id12(id) + "\n");
        for (Reference t : tags) out.write("Successfully tagged " + backend.tag(id, t.toString()) + "\n");
        return id;
    }

    private static BuildRun.StageResult join(CompletableFuture<BuildRun.StageResult> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException c && c.getCause() != null) cause = c.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new BerthException.SystemError(String.valueOf(cause.getMessage()), cause);
        }
    }

    @Override public boolean cancel(String buildId) {
        BuildRun run = running.get(buildId);
        if (run == null) return false;
        run.cancel();
        return true;
    }

    /**
     * Drops the build cache {@link BuildCachePrune} selects from {@link #cache()}: build-only images (built here,
     * untagged, used by no container, with only such images built on them), cache mounts and kept context files.
     */
    @Override public BuildCachePruneReport prune(Filters filters, boolean all, long keepStorage) {
        List<String> ids = new ArrayList<>();
        long reclaimed = 0;
        List<BuildCacheRecord> chosen;
        try {
            chosen = BuildCachePrune.select(cache(), filters, all, keepStorage);
        } catch (BerthException e) {
            throw io.berth.engine.build.context.Errors.wrap("failed to prune build cache", e); // moby's PruneCache
        }
        for (BuildCacheRecord r : chosen) {
            if (r.type().equals(CacheMounts.TYPE)) CacheMounts.remove(buildRoot, r.id());
            else if (r.type().equals(BuildFrontend.SOURCE_LOCAL)) frontend.removeContextCache(r.id());
            else backend.removeImage(r.id());
            ids.add(r.id());
            reclaimed += r.size();
        }
        return new BuildCachePruneReport(ids, reclaimed);
    }

    /**
     * The cache mounts ({@code exec.cachemount}), the build-only images ({@code regular}) and what is kept of earlier
     * contexts ({@code source.local}), as system df lists them.
     */
    @Override public List<BuildCacheRecord> cache() {
        List<BuildCacheRecord> out = new ArrayList<>();
        for (BuildBackend.CachedImage i : backend.buildOnlyImages()) {
            String created = i.created() == null ? null : i.created().toString();
            out.add(new BuildCacheRecord(i.id(), i.parent(), "regular", "build step image", false, false, i.size(), created,
                    created, 1));
        }
        out.addAll(CacheMounts.list(buildRoot));
        out.addAll(frontend.contextCache());
        return out;
    }
}
