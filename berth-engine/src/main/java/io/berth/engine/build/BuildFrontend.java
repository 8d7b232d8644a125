package io.berth.engine.build;

import io.berth.engine.build.dockerfile.Dockerfile;
import io.berth.engine.build.dockerfile.Instruction;
import io.berth.engine.service.BuildService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What the {@link Builder} needs from the Dockerfile parser, the shell-word lexer and the build context: the seam to
 * {@code build.dockerfile} ({@code DockerfileParser}, {@code ShellLex}) and {@code build.context} ({@code BuildContext},
 * {@code CopyPlanner}), so the builder's dispatch is tested without them.
 */
public interface BuildFrontend {
    /** Parses a Dockerfile's text; {@code name} is its path for messages (InvalidArgument with Docker's on an error). */
    Dockerfile parse(String text, String name);

    /** Expands {@code $VAR} forms in one word as Docker does, with {@code env} ({@code K=v}) and escape character. */
    String expand(String word, List<String> env, char escape);

    /** Expands one word and splits it into fields on unquoted white space (EXPOSE: {@code $PORTS} → several). */
    List<String> expandWords(String word, List<String> env, char escape);

    /** The build context, unpacked: its root and the Dockerfile's text. Closing deletes it (possibly in the background). */
    interface Context extends AutoCloseable {
        Path root();

        /**
         * Makes the files under {@link #root()} complete: an unpacked context may hold file bodies in memory until a
         * step reads its files (a COPY or ADD that misses the cache, a RUN bind mount). Until then only the names and
         * metadata are there.
         */
        void materialize() throws IOException;

        /** The Dockerfile's text (the build files are then dropped from the context as the daemon does). */
        String dockerfile() throws IOException;

        @Override void close();
    }

    /** BuildKit's build cache type for what a client's local files left: that of {@link #contextCache()}'s records. */
    String SOURCE_LOCAL = "source.local";

    /**
     * What is kept of earlier contexts to take the next ones in faster, as build cache records of type
     * {@link #SOURCE_LOCAL}.
     */
    List<BuildService.BuildCacheRecord> contextCache();

    /** Removes the {@link #contextCache()} record {@code id}. */
    void removeContextCache(String id);

    /** Opens the request's context: a tar (plain or compressed), or {@code remote} (a URL or git context). */
    Context open(InputStream tar, String remote, String dockerfileName) throws IOException;

    /**
     * A COPY or ADD prepared against its sources: its cache key (the classic builder's comment,
     * {@code COPY [--chown=x ]<srchash> in <dest> }, put after {@code #(nop) } in the probe and history) and how it
     * changes a mounted rootfs ({@code --chown} resolved against that rootfs). Closing drops what ADD downloaded.
     */
    interface PreparedCopy extends AutoCloseable {
        String cacheKey();

        void apply(Path rootfs) throws IOException;

        @Override void close();
    }

    /**
     * Plans {@code instruction} (a {@link Instruction.Copy} or {@link Instruction.Add} whose sources, dest, chown and
     * here-documents are already expanded) from {@code sourceRoot} (the build context when {@code fromContext}, else a
     * stage's or an image's root) into {@code workingDir}.
     */
    PreparedCopy planCopy(Instruction instruction, Path sourceRoot, boolean fromContext, String workingDir) throws IOException;
}
