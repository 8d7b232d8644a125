package io.berth.engine.build.context;

import io.berth.api.build.DockerIgnore;
import io.berth.api.errors.BerthException;
import io.berth.engine.build.dockerfile.Instruction;
import io.berth.engine.sys.Sys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns a COPY or ADD into a {@link CopyPlan}, as moby's {@code copier}: each source is a here-document, a URL (ADD
 * only: downloaded, named after its path or {@code Content-Disposition}, mode 0600, mtime from
 * {@code Last-Modified}, {@code --checksum} verified), a git repository (ADD only, BuildKit's: its checkout's
 * contents, without {@code .git} unless {@code --keep-git-dir}) or a path below the source root (the build context, or the root
 * file system of a stage or image for {@code --from}), where wildcards match per path segment as Go's
 * {@code filepath.Match}, a path that climbs out is refused, and symbolic links are followed only inside the root.
 * Errors carry Docker's full text ({@code COPY failed: …} where moby adds it): the caller shows them as they are.
 */
public final class CopyPlanner {
    private static final String UNNAMED = "__unnamed__";

    private final Sys sys;
    private final HttpClient http;
    private final Path scratch;

    /** {@code scratch} holds ADD's downloads until their plan is closed. */
    public CopyPlanner(Sys sys, HttpClient http, Path scratch) {
        this.sys = sys;
        this.http = http;
        this.scratch = scratch;
    }

    /**
     * Plans {@code spec} over {@code sourceRoot}. {@code hashes} caches the root's entry hashes across steps (one per
     * root and build); {@code buildContext} says whether the root is the build context (its errors say so).
     */
    public CopyPlan plan(CopySpec spec, Path sourceRoot, SourceHash hashes, boolean buildContext) throws IOException {
        List<CopySource> sources = new ArrayList<>();
        List<Path> downloads = new ArrayList<>();
        DockerIgnore excludes = DockerIgnore.of(spec.excludes());
        Predicate<String> excluded = excludes.isEmpty() ? p -> false : excludes::excludes;
        String failed = spec.keyword() + " failed";
        try {
            if (spec.checksum() != null
                    && spec.sources().stream().anyMatch(s -> !RemoteUrls.isUrl(s) || RemoteUrls.isGitUrl(s))) {
                throw new BerthException.InvalidArgument("checksum can't be specified for non-HTTP(S) sources");
            }
            for (String src : spec.sources()) {
                Instruction.Heredoc doc = heredoc(spec, src);
                if (doc != null) {
                    byte[] content = doc.content().getBytes(StandardCharsets.UTF_8);
                    sources.add(new CopySource(null, content, doc.name(), doc.name(),
                            SourceHash.bytes(doc.name(), 0644, content), false, false));
                } else if (spec.isAdd() && RemoteUrls.isGitUrl(src)) {
                    sources.add(gitSource(spec, src, downloads, excluded));
                } else if (RemoteUrls.isUrl(src)) {
                    if (!spec.isAdd()) throw new BerthException.InvalidArgument(failed + ": source can't be a URL for COPY");
                    sources.add(download(spec, src, downloads));
                } else {
                    local(spec, src, sourceRoot, hashes, buildContext, excluded, sources);
                }
            }
            if (sources.isEmpty()) throw new BerthException.InvalidArgument(failed + ": no source files were specified");
            if (sources.size() > 1 && !spec.dest().endsWith("/")) {
                throw new BerthException.InvalidArgument("When using " + spec.keyword()
                        + " with more than one source file, the destination must be a directory and end with a /");
            }
            return new CopyPlan(sys, spec, sources, excluded, downloads);
        } catch (IOException | RuntimeException e) {
            for (Path d : downloads) Trees.delete(d);
            throw e;
        }
    }

    /** Plans {@code spec} over the build context. */
    public CopyPlan plan(CopySpec spec, BuildContext context, SourceHash hashes) throws IOException {
        return plan(spec, context.root(), hashes, true);
    }

    private static Instruction.Heredoc heredoc(CopySpec spec, String src) {
        for (Instruction.Heredoc h : spec.heredocs()) if (h.name().equals(src)) return h;
        return null;
    }

    private void local(CopySpec spec, String orig, Path root, SourceHash hashes, boolean buildContext,
                       Predicate<String> excluded, List<CopySource> out) throws IOException {
        String path = orig;
        while (path.startsWith("/")) path = path.substring(1);
        if (path.startsWith("./")) path = path.substring(2);
        String keep = parentsKeep(path);
        if (GoGlob.hasWildcards(path)) {
            for (String match : matches(root, path)) {
                if (excluded.test(match)) continue;
                out.add(resolve(spec, match, match, root, hashes, buildContext, excluded));
            }
            return;
        }
        out.add(resolve(spec, path, keep, root, hashes, buildContext, excluded));
    }

    /** What {@code --parents} keeps of a source: the part after a {@code /./} pivot, else the whole cleaned path. */
    private static String parentsKeep(String path) {
        int pivot = path.indexOf("/./");
        String kept = pivot >= 0 ? path.substring(pivot + 3) : path;
        String clean = DockerIgnore.clean(kept);
        return clean.equals(".") ? "" : clean;
    }

    private CopySource resolve(CopySpec spec, String path, String keep, Path root, SourceHash hashes,
                               boolean buildContext, Predicate<String> excluded) throws IOException {
        String failed = spec.keyword() + " failed";
        Path full;
        try {
            full = BuildContext.resolve(root, path, "the build context");
        } catch (BerthException e) {
            throw Errors.wrap(failed, e);
        }
        String rel = root.relativize(full).toString();
        if (!Files.exists(full)) {
            String stat = "stat " + path + ": file does not exist";
            throw new BerthException.InvalidArgument(failed + ": " + (buildContext
                    ? "file not found in build context or excluded by .dockerignore: " + stat : stat));
        }
        String name = baseName(path);
        boolean dir = Files.isDirectory(full);
        String hash = dir ? hashes.dir(rel, excluded) : hashes.file(rel);
        boolean unpack = spec.isAdd() && !Boolean.FALSE.equals(spec.unpack());
        return new CopySource(full, null, name, keep, hash, dir, unpack);
    }

    /** Paths below {@code root} matching {@code pattern} segment by segment, in lexical order, never through links. */
    private static List<String> matches(Path root, String pattern) throws IOException {
        String[] segs = DockerIgnore.clean(pattern).split("/");
        List<String> found = new ArrayList<>(List.of(""));
        for (int i = 0; i < segs.length; i++) {
            boolean last = i == segs.length - 1;
            Pattern glob;
            try {
                glob = GoGlob.compile(segs[i]);
            } catch (IllegalArgumentException e) {
                return List.of(); // Go's filepath.Match reports no match for a malformed pattern
            }
            List<String> next = new ArrayList<>();
            for (String dir : found) {
                Path d = dir.isEmpty() ? root : root.resolve(dir);
                if (!Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                List<String> names = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                    for (Path p : ds) names.add(p.getFileName().toString());
                }
                names.sort(null);
                for (String n : names) {
                    if (!glob.matcher(n).matches()) continue;
                    String rel = dir.isEmpty() ? n : dir + "/" + n;
                    if (last || Files.isDirectory(root.resolve(rel), java.nio.file.LinkOption.NOFOLLOW_LINKS)) next.add(rel);
                }
            }
            found = next;
        }
        return found;
    }

    private CopySource download(CopySpec spec, String url, List<Path> downloads) throws IOException {
        HttpResponse<InputStream> r = HttpFetch.get(http, url);
        String name = filename(URI.create(url).getPath(), r.headers().firstValue("Content-Disposition").orElse(""));
        if (name.isEmpty() && spec.dest().endsWith("/")) {
            r.body().close();
            throw new BerthException.InvalidArgument("cannot determine filename for source " + url);
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "remote-");
        downloads.add(dir);
        Path file = dir.resolve(name.isEmpty() ? UNNAMED : name);
        MessageDigest sha = sha256();
        try (InputStream in = r.body();
             OutputStream out = new DigestOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW), sha)) {
            in.transferTo(out);
        }
        if (spec.checksum() != null) {
            String got = "sha256:" + HexFormat.of().formatHex(sha.digest());
            if (!spec.checksum().startsWith("sha256:")) {
                throw new BerthException.InvalidArgument("unsupported digest algorithm in checksum " + spec.checksum());
            }
            if (!got.equals(spec.checksum())) {
                throw new BerthException.InvalidArgument("digest mismatch " + got + ": " + spec.checksum());
            }
        }
        sys.chmod(file, 0600);
        Instant mtime = r.headers().firstValue("Last-Modified").map(CopyPlanner::httpTime).orElse(Instant.EPOCH);
        sys.lutimes(file, mtime, mtime);
        String hash = new SourceHash(sys, dir).file(file.getFileName().toString());
        return new CopySource(file, null, file.getFileName().toString(), file.getFileName().toString(), hash, false,
                Boolean.TRUE.equals(spec.unpack()));
    }

    private CopySource gitSource(CopySpec spec, String url, List<Path> downloads, Predicate<String> excluded)
            throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "git-");
        downloads.add(dir);
        Path checkout = new GitCheckout(http).checkout(url, Files.createDirectory(dir.resolve("repo")));
        if (!spec.keepGitDir()) Trees.delete(checkout.resolve(".git"));
        Path root = dir.resolve("repo");
        String rel = root.relativize(checkout).toString();
        String hash = new SourceHash(sys, root).dir(rel, excluded);
        return new CopySource(checkout, null, checkout.getFileName().toString(), "", hash, true, false);
    }

    /** moby's {@code getFilenameForDownload}: the URL path's last element, else Content-Disposition's filename. */
    private static String filename(String path, String disposition) {
        if (path != null && !path.isEmpty() && !path.endsWith("/")) return baseName(path);
        var m = Pattern.compile("filename=\"?([^\";]+)\"?").matcher(disposition);
        if (m.find() && !m.group(1).endsWith("/")) return baseName(m.group(1));
        return "";
    }

    private static String baseName(String path) {
        String clean = DockerIgnore.clean(path);
        return clean.substring(clean.lastIndexOf('/') + 1);
    }

    private static Instant httpTime(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
