package io.berth.engine.build.context;

import io.berth.engine.archive.ScopedPath;
import io.berth.engine.archive.TarReader;
import io.berth.engine.sys.Sys;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * A COPY or ADD whose sources are resolved and hashed: {@link #cacheKey()} is known before any container exists (the
 * builder probes its cache with it), and {@link #apply} then writes the sources into a container's root file system.
 * Closing it removes what ADD downloaded.
 */
public final class CopyPlan implements AutoCloseable {
    private final Sys sys;
    private final CopySpec spec;
    private final List<CopySource> sources;
    private final String sourceHash;
    private final Predicate<String> excluded;
    private final List<Path> downloads;

    CopyPlan(Sys sys, CopySpec spec, List<CopySource> sources, Predicate<String> excluded, List<Path> downloads) {
        this.sys = sys;
        this.spec = spec;
        this.sources = List.copyOf(sources);
        this.excluded = excluded;
        this.downloads = List.copyOf(downloads);
        this.sourceHash = sources.size() == 1 ? sources.getFirst().hash()
                : SourceHash.multi(sources.stream().map(CopySource::hash).toList());
    }

    /** The sources' key: {@code file:…}, {@code dir:…} or {@code multi:…}. */
    public String sourceHash() { return sourceHash; }

    /**
     * The classic builder's comment for this step, {@code "COPY [--chown=x ]<srchash> in <dest> "} (trailing space
     * included), which the probe and history put after {@code "#(nop) "}. BuildKit's flags that change the result
     * ({@code --chmod}, {@code --parents}, {@code --exclude}, {@code --unpack}) are written the same way.
     */
    public String cacheKey() {
        StringBuilder b = new StringBuilder(spec.keyword()).append(' ');
        if (spec.chown() != null && !spec.chown().isEmpty()) b.append("--chown=").append(spec.chown()).append(' ');
        if (spec.chmod() != null && !spec.chmod().isEmpty()) b.append("--chmod=").append(spec.chmod()).append(' ');
        if (spec.parents()) b.append("--parents ");
        for (String x : spec.excludes()) b.append("--exclude=").append(x).append(' ');
        if (spec.unpack() != null) b.append("--unpack=").append(spec.unpack()).append(' ');
        return b.append(sourceHash).append(" in ").append(spec.dest()).append(' ').toString();
    }

    /**
     * Writes the sources into the root file system mounted at {@code rootfs}, owned by {@code owner} (null: the
     * sources' own ownership, as {@code COPY --from} without {@code --chown}); see {@link Ownership#resolve}.
     */
    public void apply(Path rootfs, Ownership owner) throws IOException {
        RootfsWriter w = new RootfsWriter(sys, rootfs, owner, ChmodSpec.parse(spec.chmod()));
        String dest = destination();
        boolean destIsDir = dest.endsWith("/") || spec.parents();
        for (CopySource s : sources) {
            String base = spec.parents() ? join(dest, s.keep()) : dest;
            if (s.dir()) {
                w.copyTree(s.path(), base, excluded);
            } else if (s.content() != null) {
                w.writeBytes(s.content(), 0644, Instant.EPOCH,
                        target(w, dest, destIsDir, s.name()));
            } else if (s.unpack() && isArchive(s.path())) {
                try (InputStream in = ContextCompression.decompress(Files.newInputStream(s.path()))) {
                    w.untar(in, dest);
                }
            } else {
                w.copyFile(s.path(), spec.parents() ? base : target(w, dest, destIsDir, s.name()));
            }
        }
    }

    private String target(RootfsWriter w, String dest, boolean destIsDir, String name) throws IOException {
        return destIsDir || w.isDirectory(dest) ? join(dest, name) : dest;
    }

    /** moby's {@code normalizeDest}: a relative destination is below WORKDIR; a trailing slash is kept. */
    private String destination() {
        String d = spec.dest();
        if (d.startsWith("/")) return d;
        String joined = "/" + String.join("/", ScopedPath.clean(spec.workdir() + "/" + d));
        return d.endsWith("/") && !joined.endsWith("/") ? joined + "/" : joined;
    }

    private static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** moby's {@code IsArchivePath}: the file, once decompressed, starts with a valid tar header. */
    static boolean isArchive(Path p) {
        try (InputStream in = ContextCompression.decompress(new BufferedInputStream(Files.newInputStream(p)))) {
            return new TarReader(in).next() != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (Path d : downloads) {
            try {
                Trees.delete(d);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
