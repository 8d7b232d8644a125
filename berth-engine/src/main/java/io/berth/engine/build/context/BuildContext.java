package io.berth.engine.build.context;

import io.berth.api.build.DockerIgnore;
import io.berth.api.errors.BerthException;
import io.berth.engine.archive.ScopedPath;
import io.berth.engine.sys.Sys;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The files a build may read: the request's tar (plain, gzip, zstd, bzip2 or xz) unpacked safely, a git repository
 * checked out, or an HTTP resource (a tar in any of those compressions, or a plain Dockerfile that becomes a context
 * holding just that file), as moby's {@code remotecontext.Detect}. It lives in a scratch directory of its own, removed
 * by {@link #close()}. The request's tar may leave file bodies in memory ({@link BodyPool}): {@link #materialize()}
 * writes them, and must come before anything outside this class reads the context's files. Paths inside it are
 * resolved as moby's {@code FullPath}: symbolic links are followed but never out of the context, and a path that
 * climbs out is refused.
 */
public final class BuildContext implements AutoCloseable {
    /** The {@code remote} value of a BuildKit session, which the classic builder cannot serve. */
    public static final String CLIENT_SESSION = "client-session";
    private static final String DEFAULT_DOCKERFILE = "Dockerfile";
    private static final String IGNORE_FILE = ".dockerignore";
    private static final Pattern ACCEPTABLE_MIME =
            Pattern.compile("(?:application/(?:(?:x-)?tar|octet-stream|((?:x-)?(?:gzip|bzip2?|xz)))|(?:text/plain))");

    private final Path scratch;
    private final Path root;
    private final boolean onlyDockerfile;
    private final ExtractedHashes hashes;
    private final HeldBodies bodies;
    private final SeenFiles seen;
    private final ContextDirs dirs;
    private final long written;
    private DockerIgnore ignore;

    private BuildContext(Path scratch, Path root, boolean onlyDockerfile, ExtractedHashes hashes, HeldBodies bodies,
                         SeenFiles seen, ContextDirs dirs, long written) {
        this.scratch = scratch;
        this.root = root;
        this.onlyDockerfile = onlyDockerfile;
        this.hashes = hashes;
        this.bodies = bodies;
        this.seen = seen;
        this.dirs = dirs;
        this.written = written;
    }

    private BuildContext(Path scratch, Path root, boolean onlyDockerfile) {
        this(scratch, root, onlyDockerfile, new ExtractedHashes(), new HeldBodies(Sys.linux(), null), null, null, 0);
    }

    /**
     * Unpacks the request body (a tar, possibly compressed) into a new directory under {@code scratch}. A malformed or
     * hostile archive (an entry that would land outside the context) is an {@link BerthException.InvalidArgument}.
     */
    public static BuildContext fromArchive(InputStream body, Path scratch) throws IOException {
        return fromArchive(body, scratch, null, null, null);
    }

    /**
     * As {@link #fromArchive(InputStream, Path)}, holding the bodies of large files in {@code pool} while it has room;
     * those that {@code seen} has from earlier builds are compared with it rather than hashed, and the others are
     * given to it when the context is closed. With {@code dirs}, it is unpacked into a directory an earlier context
     * left there, if any, and its own directory is left there when it is closed.
     */
    public static BuildContext fromArchive(InputStream body, Path scratch, BodyPool pool, SeenFiles seen, ContextDirs dirs)
            throws IOException {
        Path kept = dirs == null ? null : dirs.take();
        Path dir = kept != null ? kept : Files.createTempDirectory(Files.createDirectories(scratch), "context-");
        HeldBodies bodies = new HeldBodies(Sys.linux(), pool);
        try {
            Path root = kept != null ? dir.resolve("root") : Files.createDirectory(dir.resolve("root"));
            ExtractedHashes hashes = new ExtractedHashes();
            ContextExtractor extractor = new ContextExtractor(Sys.linux(), hashes, bodies, seen);
            extractor.extract(ContextCompression.decompress(body), root, kept != null);
            return new BuildContext(dir, root, false, hashes, bodies, pool == null ? null : seen, dirs, extractor.written());
        } catch (IOException | RuntimeException e) {
            bodies.close();
            Trees.delete(dir);
            throw e;
        }
    }

    /**
     * The context named by the {@code remote} query parameter: a git URL (checked out with the {@code git} binary), an
     * HTTP(S) URL (a tar, or a plain-text Dockerfile), or moby's error for anything else.
     */
    public static BuildContext fromRemote(String remote, Path scratch, HttpClient http) throws IOException {
        if (remote.equals(CLIENT_SESSION)) {
            throw new BerthException.InvalidArgument("experimental session with v1 builder is no longer supported, "
                    + "use builder version v2 (BuildKit) instead");
        }
        boolean git = RemoteUrls.isGitUrl(remote);
        if (!git && !RemoteUrls.isUrl(remote)) {
            throw new BerthException.InvalidArgument("remoteURL (" + remote + ") could not be recognized as URL");
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "context-");
        try {
            if (git) {
                Path checkout = Files.createDirectory(dir.resolve("git"));
                return new BuildContext(dir, new GitCheckout(http).checkout(remote, checkout), false);
            }
            return fromUrl(remote, dir, http);
        } catch (IOException | RuntimeException e) {
            Trees.delete(dir);
            throw e;
        }
    }

    private static BuildContext fromUrl(String url, Path dir, HttpClient http) throws IOException {
        HttpResponse<InputStream> r;
        try {
            r = HttpFetch.get(http, url);
        } catch (BerthException e) {
            throw Errors.wrap("error downloading remote context " + url, e);
        }
        try (BufferedInputStream body = new BufferedInputStream(r.body(), 64 * 1024)) {
            body.mark(100);
            byte[] preamble = body.readNBytes(100);
            body.reset();
            String declared = r.headers().firstValue("Content-Type").orElse("");
            String failure = "error detecting content type for remote " + url;
            if (preamble.length == 0) throw new BerthException.InvalidArgument(failure + ": empty response");
            String type = declared.isEmpty() || declared.equals("application/octet-stream") ? sniff(preamble) : declared;
            var m = ACCEPTABLE_MIME.matcher(type);
            if (!m.find()) {
                throw new BerthException.InvalidArgument(failure + ": unsupported Content-Type \"" + declared + "\"");
            }
            Path root = Files.createDirectory(dir.resolve("root"));
            if (m.group().equals("text/plain")) {
                Files.copy(body, root.resolve(DEFAULT_DOCKERFILE));
                return new BuildContext(dir, root, true);
            }
            ExtractedHashes hashes = new ExtractedHashes();
            HeldBodies none = new HeldBodies(Sys.linux(), null);
            new ContextExtractor(Sys.linux(), hashes, none, null).extract(ContextCompression.decompress(body), root);
            return new BuildContext(dir, root, false, hashes, none, null, null, 0);
        }
    }

    /** Go's {@code http.DetectContentType}, as far as a context cares: gzip, other binary, or text. */
    private static String sniff(byte[] b) {
        if (b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) return "application/x-gzip";
        for (byte x : b) {
            if (x <= 0x08 || x == 0x0b || (x >= 0x0e && x <= 0x1a) || (x >= 0x1c && x <= 0x1f)) {
                return "application/octet-stream";
            }
        }
        return "text/plain; charset=utf-8";
    }

    /** The context's directory. */
    public Path root() { return root; }

    /** The entry hashes of the context's files, for its COPY and ADD sources (one per build, shared by its stages). */
    public SourceHash sourceHash(Sys sys) { return new SourceHash(sys, root, hashes, bodies); }

    /** Writes the file bodies still held in memory: the context's files are then complete on disk. */
    public void materialize() throws IOException { bodies.writeAll(); }

    /**
     * The Dockerfile's text: {@code name} relative to the context (null or empty: {@code Dockerfile}, falling back to
     * {@code dockerfile}). A remote plain-text Dockerfile is returned whatever the name.
     */
    public String dockerfile(String name) throws IOException {
        String n = name == null || name.isEmpty() ? DEFAULT_DOCKERFILE : name;
        if (onlyDockerfile) n = DEFAULT_DOCKERFILE;
        Path p = locate(n);
        bodies.write(rel(p));
        byte[] text = Files.readAllBytes(p);
        if (text.length == 0) throw new BerthException.InvalidArgument("the Dockerfile (" + n + ") cannot be empty");
        return new String(text, StandardCharsets.UTF_8);
    }

    private Path locate(String name) throws IOException {
        Path p = fullPath(name);
        if (Files.isRegularFile(p)) return p;
        if (name.equals(DEFAULT_DOCKERFILE)) {
            Path lower = fullPath(name.toLowerCase(Locale.ROOT));
            if (Files.isRegularFile(lower)) return lower;
        }
        throw new BerthException.InvalidArgument("Cannot locate specified Dockerfile: " + name);
    }

    /**
     * moby's {@code removeDockerfile}: when the context's {@code .dockerignore} excludes the Dockerfile or itself,
     * they are removed from the context (the CLI sent them only so that the daemon can read them).
     */
    public void dropBuildFiles(String dockerfileName) throws IOException {
        DockerIgnore rules = ignore();
        if (rules.isEmpty()) return;
        String df = dockerfileName == null || dockerfileName.isEmpty() ? DEFAULT_DOCKERFILE : dockerfileName;
        if (df.equals(DEFAULT_DOCKERFILE) && !Files.exists(fullPath(df), LinkOption.NOFOLLOW_LINKS)
                && Files.exists(fullPath("dockerfile"), LinkOption.NOFOLLOW_LINKS)) {
            df = "dockerfile";
        }
        for (String f : List.of(IGNORE_FILE, df)) {
            if (!rules.excludes(f)) continue;
            Path p = fullPath(f);
            hashes.forget(rel(p));
            bodies.forget(rel(p));
            Trees.delete(p);
        }
    }

    /** The context's {@code .dockerignore} ({@link DockerIgnore#NONE} when there is none), read once. */
    public DockerIgnore ignore() throws IOException {
        if (ignore == null) {
            Path p = fullPath(IGNORE_FILE);
            bodies.write(rel(p));
            try {
                ignore = Files.isRegularFile(p) ? DockerIgnore.parse(Files.readAllBytes(p)) : DockerIgnore.NONE;
            } catch (IllegalArgumentException e) {
                throw new BerthException.InvalidArgument("error reading .dockerignore: " + e.getMessage(), e);
            }
        }
        return ignore;
    }

    /** {@code path} inside the context, symlinks followed within it; a path climbing out is refused as moby does. */
    Path fullPath(String path) throws IOException {
        return resolve(root, path, "the build context");
    }

    /** moby's {@code FullPath} for any source root: {@code forbidden path outside the build context: x ()}. */
    static Path resolve(Path root, String path, String what) throws IOException {
        String clean = DockerIgnore.clean(path.startsWith("/") ? path.substring(1) : path);
        if (clean.equals("..") || clean.startsWith("../")) {
            throw new BerthException.InvalidArgument("forbidden path outside " + what + ": " + path + " ()");
        }
        return ScopedPath.host(root, ScopedPath.follow(root, clean));
    }

    private String rel(Path p) { return root.relativize(p).toString(); }

    /**
     * Gives the bodies held in memory to the {@link SeenFiles} (if any), then their memory back, and leaves the
     * context's scratch directory to the {@link ContextDirs} (if any, while it wrote no more than
     * {@link ContextDirs#MAX_WRITTEN}) or removes it.
     */
    @Override
    public void close() {
        try {
            if (seen != null) bodies.remember(hashes, seen);
            boolean kept = dirs != null && written + bodies.written() <= ContextDirs.MAX_WRITTEN && dirs.give(scratch);
            if (!kept) Trees.delete(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            bodies.close();
        }
    }
}
