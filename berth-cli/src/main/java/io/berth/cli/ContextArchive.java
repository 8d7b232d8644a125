package io.berth.cli;

import io.berth.api.build.DockerIgnore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The build context a client sends to {@code POST /build}, made as the docker CLI makes it: the files of the context
 * directory that {@code .dockerignore} (or {@code <Dockerfile>.dockerignore}) does not exclude, in a tar with owner 0:0; the Dockerfile and the ignore file
 * always kept ({@code TrimBuildFilesFromExcludes}: the daemon drops them itself when they are excluded); a Dockerfile
 * from stdin or from outside the context added as {@code .dockerfile.<random hex>} and named in {@code .dockerignore}
 * so that the daemon removes it ({@code AddDockerfileToBuildContext}).
 */
final class ContextArchive {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ContextArchive() {}

    /**
     * The excludes of the ignore file ({@link #ignoreFile}; none without one), with exceptions for {@code .dockerignore}
     * and for {@code dockerfile} (relative to {@code dir}, {@code /}-separated) when they would be excluded; a
     * Dockerfile from stdin is not in the directory, so it gets none.
     */
    static DockerIgnore excludes(Path dir, Path dockerfileFile, String dockerfile, boolean dockerfileFromStdin)
            throws IOException {
        Path file = ignoreFile(dir, dockerfileFile);
        DockerIgnore read = Files.isRegularFile(file) ? DockerIgnore.parse(Files.readAllBytes(file)) : DockerIgnore.NONE;
        List<String> patterns = new ArrayList<>();
        for (DockerIgnore.Rule r : read.rules()) patterns.add((r.exclusion() ? "!" : "") + r.pattern());
        if (read.excludes(".dockerignore")) patterns.add("!.dockerignore");
        if (dockerfile != null && !dockerfileFromStdin && read.excludes(dockerfile)) patterns.add("!" + dockerfile);
        return patterns.isEmpty() ? DockerIgnore.NONE : DockerIgnore.of(patterns);
    }

    /**
     * BuildKit's choice of ignore file, which the docker CLI follows since 23.0: {@code <Dockerfile>.dockerignore} beside
     * the Dockerfile ({@code dockerfileFile}, null for one from stdin) when there is one, else the context's
     * {@code .dockerignore}.
     */
    static Path ignoreFile(Path dir, Path dockerfileFile) {
        if (dockerfileFile != null) {
            Path own = dockerfileFile.resolveSibling(dockerfileFile.getFileName() + ".dockerignore");
            if (Files.isRegularFile(own)) return own;
        }
        return dir.resolve(".dockerignore");
    }

    /** {@code .dockerfile.} and 20 random hex digits, as the docker CLI names a Dockerfile it adds. */
    static String randomDockerfileName() {
        byte[] b = new byte[10];
        RANDOM.nextBytes(b);
        return ".dockerfile." + HexFormat.of().formatHex(b);
    }

    /**
     * The entries to add for a Dockerfile that is not in the context: the Dockerfile under {@code name} and
     * {@code dir}'s {@code .dockerignore} (or a new one) with {@code name} appended.
     */
    static Map<String, byte[]> addedDockerfile(Path dir, String name, byte[] dockerfile) throws IOException {
        Path ignore = dir == null ? null : dir.resolve(".dockerignore");
        String before = ignore != null && Files.isRegularFile(ignore) ? Files.readString(ignore, StandardCharsets.UTF_8) : "";
        return Map.of(name, dockerfile, ".dockerignore", (before + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code dir}'s files that {@code excludes} keeps (sorted, symlinks as links, devices and sockets left out)
     * and then {@code added} (name → content, mode 0600; an added name replaces the file of that name), ending the tar.
     */
    static void write(Path dir, DockerIgnore excludes, Map<String, byte[]> added, OutputStream out) throws IOException {
        if (dir != null) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path c : s.sorted().toList()) walk(c, c.getFileName().toString(), excludes, added, out);
            }
        }
        long now = System.currentTimeMillis() / 1000;
        for (var e : added.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            Tar.header(out, e.getKey(), '0', e.getValue().length, 0600, now, "");
            out.write(e.getValue());
            out.write(new byte[(512 - e.getValue().length % 512) % 512]);
        }
        out.write(new byte[1024]);
        out.flush();
    }

    private static void walk(Path p, String name, DockerIgnore excludes, Map<String, byte[]> added, OutputStream out)
            throws IOException {
        boolean excluded = excludes.excludes(name);
        boolean directory = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        if (excluded && (!directory || !excludes.hasExclusions())) return; // nothing below can come back
        if (added.containsKey(name)) return;
        long mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000;
        if (Files.isSymbolicLink(p)) {
            Tar.header(out, name, '2', 0, 0777, mtime, Files.readSymbolicLink(p).toString());
        } else if (directory) {
            if (!excluded) Tar.header(out, name + "/", '5', 0, Tar.mode(p), mtime, "");
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.sorted().toList()) walk(c, name + "/" + c.getFileName(), excludes, added, out);
            }
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            long size = Files.size(p);
            Tar.header(out, name, '0', size, Tar.mode(p), mtime, "");
            try (InputStream in = Files.newInputStream(p)) {
                long copied = in.transferTo(out);
                if (copied != size) throw new IOException(name + " changed size while the build context was sent");
            }
            out.write(new byte[(int) ((512 - size % 512) % 512)]);
        }
    }

    /** Whether {@code head} (the first bytes of stdin) starts an archive: tar, gzip, bzip2, xz or zstd. */
    static boolean isArchive(byte[] head) {
        if (head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) return true;
        return startsWith(head, 0x1f, 0x8b) || startsWith(head, 'B', 'Z', 'h') || startsWith(head, 0xfd, '7', 'z', 'X', 'Z', 0)
                || startsWith(head, 0x28, 0xb5, 0x2f, 0xfd);
    }

    private static boolean startsWith(byte[] b, int... magic) {
        if (b.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((b[i] & 0xff) != magic[i]) return false;
        return true;
    }
}
