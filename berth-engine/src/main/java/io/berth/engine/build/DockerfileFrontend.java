package io.berth.engine.build;

import io.berth.engine.build.context.BodyPool;
import io.berth.engine.build.context.BuildContext;
import io.berth.engine.build.context.ContextDirs;
import io.berth.engine.build.context.CopyPlan;
import io.berth.engine.build.context.CopyPlanner;
import io.berth.engine.build.context.CopySpec;
import io.berth.engine.build.context.Ownership;
import io.berth.engine.build.context.SeenFiles;
import io.berth.engine.build.context.SourceHash;
import io.berth.engine.build.dockerfile.Dockerfile;
import io.berth.engine.build.dockerfile.DockerfileParser;
import io.berth.engine.build.dockerfile.Instruction;
import io.berth.engine.build.dockerfile.ShellLex;
import io.berth.engine.service.BuildService;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's {@link BuildFrontend}: {@link DockerfileParser}, {@link ShellLex}, {@link BuildContext} (the build files
 * dropped as the daemon does once the Dockerfile is read) and {@link CopyPlanner}. The context's entry hashes are
 * kept for the whole build, so each COPY from the context hashes only what it has not seen; large file bodies stay in
 * memory ({@link BodyPool}) until a COPY from the context misses the cache, and are kept on disk afterwards
 * ({@link SeenFiles}, up to 512 MiB) so that the next build receiving them compares rather than hashes; the
 * directories of closed contexts are unpacked into again ({@link ContextDirs}). A closed context is deleted in the
 * background ({@link ScratchCleaner}); closing the frontend waits for those deletions.
 */
public final class DockerfileFrontend implements BuildFrontend, AutoCloseable {
    /** How much content of earlier contexts' large files is kept on disk to compare with rather than hash. */
    private static final long SEEN_CAPACITY = 512L << 20;

    private final Sys sys;
    private final HttpClient http;
    private final Path scratch;
    private final CopyPlanner planner;
    private final Map<Path, OpenContext> contexts = new ConcurrentHashMap<>();
    private final BodyPool bodies = BodyPool.forDaemon();
    private final SeenFiles seen;
    private final ContextDirs dirs = new ContextDirs(2);
    private final ScratchCleaner cleaner = new ScratchCleaner();

    /** A context being built from, with its entry hashes (kept for the whole build). */
    private record OpenContext(BuildContext context, SourceHash hashes) {}

    /** {@code scratch} holds unpacked contexts and ADD's downloads. */
    public DockerfileFrontend(Sys sys, HttpClient http, Path scratch) {
        this.sys = sys;
        this.http = http;
        this.scratch = scratch;
        this.planner = new CopyPlanner(sys, http, scratch);
        this.seen = new SeenFiles(scratch.resolve("seen"), SEEN_CAPACITY);
    }

    @Override public Dockerfile parse(String text, String name) { return DockerfileParser.parse(text, name); }

    @Override public String expand(String word, List<String> env, char escape) {
        return new ShellLex(escape).processWord(word, variables(env));
    }

    @Override public List<String> expandWords(String word, List<String> env, char escape) {
        return new ShellLex(escape).processWords(word, variables(env));
    }

    private static Map<String, String> variables(List<String> env) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq > 0) vars.putIfAbsent(e.substring(0, eq), e.substring(eq + 1));
        }
        return vars;
    }

    @Override public Context open(InputStream tar, String remote, String dockerfileName) throws IOException {
        BuildContext ctx = remote == null || remote.isEmpty() ? BuildContext.fromArchive(tar, scratch, bodies, seen, dirs)
                : BuildContext.fromRemote(remote, scratch, http);
        contexts.put(ctx.root(), new OpenContext(ctx, ctx.sourceHash(sys)));
        return new Context() {
            @Override public Path root() { return ctx.root(); }

            @Override public void materialize() throws IOException { ctx.materialize(); }

            @Override public String dockerfile() throws IOException {
                String text = ctx.dockerfile(dockerfileName);
                ctx.dropBuildFiles(dockerfileName);
                return text;
            }

            @Override public void close() {
                contexts.remove(ctx.root());
                cleaner.later(ctx::close);
            }
        };
    }

    @Override public PreparedCopy planCopy(Instruction instruction, Path sourceRoot, boolean fromContext, String workingDir)
            throws IOException {
        CopySpec spec = switch (instruction) {
            case Instruction.Copy c -> CopySpec.of(c, c.sources(), c.dest(), c.chown(), workingDir);
            case Instruction.Add a -> CopySpec.of(a, a.sources(), a.dest(), a.chown(), workingDir);
            default -> throw new IllegalArgumentException("not a COPY or ADD: " + instruction.keyword());
        };
        OpenContext context = fromContext ? contexts.get(sourceRoot) : null;
        SourceHash hashes = context != null ? context.hashes() : new SourceHash(sys, sourceRoot);
        CopyPlan plan = planner.plan(spec, sourceRoot, hashes, fromContext);
        String chown = spec.chown();
        return new PreparedCopy() {
            @Override public String cacheKey() { return plan.cacheKey(); }

            @Override public void apply(Path rootfs) throws IOException {
                if (context != null) context.context().materialize();
                Ownership owner = chown != null && !chown.isEmpty() ? Ownership.resolve(chown, rootfs)
                        : fromContext ? Ownership.ROOT : null;
                plan.apply(rootfs, owner);
            }

            @Override public void close() { plan.close(); }
        };
    }

    @Override public List<BuildService.BuildCacheRecord> contextCache() {
        List<BuildService.BuildCacheRecord> out = new ArrayList<>();
        for (SeenFiles.Stored st : seen.list()) {
            out.add(new BuildService.BuildCacheRecord(st.hex(), null, SOURCE_LOCAL, "local source for context", false, false,
                    st.size(), st.created().toString(), st.lastUsed().toString(), 1));
        }
        return out;
    }

    @Override public void removeContextCache(String id) { seen.remove(id); }

    /** Waits for the contexts still being deleted. */
    @Override public void close() { cleaner.close(); }
}
