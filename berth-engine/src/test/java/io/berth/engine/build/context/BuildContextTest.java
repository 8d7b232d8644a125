package io.berth.engine.build.context;

import com.github.luben.zstd.ZstdOutputStream;
import com.sun.net.httpserver.HttpServer;
import io.berth.api.build.DockerIgnore;
import io.berth.api.errors.BerthException;
import io.berth.engine.archive.TarEntry;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static io.berth.engine.build.context.Tars.T;
import static io.berth.engine.build.context.Tars.file;
import static io.berth.engine.build.context.Tars.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildContextTest {
    @TempDir Path scratch;
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private static byte[] simple() throws IOException {
        return tar(w -> {
            file(w, "Dockerfile", "FROM scratch\n");
            w.add(TarEntry.dir("src", 0750, T), null);
            file(w, "src/run.sh", "echo hi\n", 0755);
            w.add(TarEntry.symlink("src/link", "run.sh", T), null);
        });
    }

    @Test
    void unpacksAPlainTarKeepingModesAndTimes() throws IOException {
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(simple()), scratch)) {
            Path root = c.root();
            assertThat(c.dockerfile(null)).isEqualTo("FROM scratch\n");
            assertThat(Files.readString(root.resolve("src/run.sh"))).isEqualTo("echo hi\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("src/run.sh"))))
                    .isEqualTo("rwxr-xr-x");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("src"))))
                    .isEqualTo("rwxr-x---");
            assertThat(Files.getLastModifiedTime(root.resolve("src")).toInstant()).isEqualTo(T);
            assertThat(Files.readSymbolicLink(root.resolve("src/link"))).hasToString("run.sh");
            assertThat(c.ignore()).isSameAs(DockerIgnore.NONE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "bzip2", "xz", "zstd"})
    void unpacksCompressedTars(String kind) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (OutputStream z = switch (kind) {
            case "gzip" -> new GZIPOutputStream(o);
            case "bzip2" -> new BZip2CompressorOutputStream(o);
            case "xz" -> new XZOutputStream(o, new LZMA2Options());
            default -> new ZstdOutputStream(o);
        }) {
            z.write(simple());
        }
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(o.toByteArray()), scratch)) {
            assertThat(c.dockerfile("Dockerfile")).isEqualTo("FROM scratch\n");
            assertThat(c.root().resolve("src/run.sh")).hasContent("echo hi");
        }
    }

    @Test
    void filesAreHashedAsTheyAreUnpackedAndNotReadAgain() throws IOException {
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(simple()), scratch)) {
            String fromDisk = new SourceHash(SourceHashTest.SYS, c.root()).dir("", p -> false);
            String runSh = new SourceHash(SourceHashTest.SYS, c.root()).file("src/run.sh");
            assertThat(c.sourceHash(SourceHashTest.SYS).dir("", p -> false)).isEqualTo(fromDisk);
            Files.writeString(c.root().resolve("src/run.sh"), "echo ho\n"); // same size, mode and owner
            assertThat(c.sourceHash(SourceHashTest.SYS).file("src/run.sh")).as("the hash taken as the tar went by")
                    .isEqualTo(runSh)
                    .isNotEqualTo(new SourceHash(SourceHashTest.SYS, c.root()).file("src/run.sh"));
        }
    }

    @Test
    void unpackedHashesFollowReplacedEntriesHardLinksAndLaterChanges() throws IOException {
        byte[] t = tar(w -> {
            w.add(TarEntry.dir("d", 0755, T), null);
            file(w, "d/f", "first");
            file(w, "d", "now a file");
            w.add(TarEntry.dir("d", 0700, T), null);
            file(w, "other", "other");
            w.add(TarEntry.hardlink("d/f", "other", T), null);
            file(w, "twice", "one");
            file(w, "twice", "two", 0600);
            file(w, "changed", "same");
        });
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(t), scratch)) {
            Files.setPosixFilePermissions(c.root().resolve("changed"), PosixFilePermissions.fromString("rwx------"));
            SourceHash unpacked = c.sourceHash(SourceHashTest.SYS);
            SourceHash fromDisk = new SourceHash(SourceHashTest.SYS, c.root());
            for (String f : List.of("d/f", "other", "twice", "changed")) {
                assertThat(unpacked.file(f)).as(f).isEqualTo(fromDisk.file(f));
            }
            assertThat(unpacked.dir("", p -> false)).isEqualTo(new SourceHash(SourceHashTest.SYS, c.root()).dir("", p -> false));
        }
    }

    private static byte[] body(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void largeBodiesStayInMemoryUntilTheFilesAreNeeded() throws IOException {
        byte[] big = body(300_000, 1);
        byte[] readOnly = body(100_000, 2);
        byte[] t = tar(w -> {
            file(w, "Dockerfile", "FROM scratch\n");
            w.add(TarEntry.dir("d", 0755, T), null);
            file(w, "d/big", big, 0640);
            file(w, "d/ro", readOnly, 0444);
        });
        BodyPool pool = new BodyPool(1 << 20, 1 << 20);
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(t), scratch, pool, null, null)) {
            Path f = c.root().resolve("d/big");
            assertThat(Files.size(f)).as("the file has its size").isEqualTo(big.length);
            assertThat(Files.readAllBytes(f)).as("not its content yet").isNotEqualTo(big);
            String held = c.sourceHash(SourceHashTest.SYS).dir("d", p -> false);
            c.materialize();
            assertThat(Files.readAllBytes(f)).isEqualTo(big);
            assertThat(Files.readAllBytes(c.root().resolve("d/ro"))).isEqualTo(readOnly);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.root().resolve("d/ro")))).isEqualTo("r--r--r--");
            assertThat(Files.getLastModifiedTime(f).toInstant()).isEqualTo(T);
            assertThat(new SourceHash(SourceHashTest.SYS, c.root()).dir("d", p -> false)).isEqualTo(held);
        }
    }

    @Test
    void heldBodiesAreWrittenBeforeAnythingReadsThem() throws IOException {
        byte[] big = body(200_000, 3);
        String dockerfile = "FROM scratch\n#" + "x".repeat(100_000) + "\n";
        byte[] t = tar(w -> {
            file(w, "Dockerfile", dockerfile);
            file(w, "a", big, 0644);
            w.add(TarEntry.hardlink("link", "a", T), null);
            file(w, "twice", body(100_000, 4), 0644);
            file(w, "twice", big, 0644);
            file(w, "changed", big, 0644);
        });
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(t), scratch, new BodyPool(4 << 20, 0), null, null)) {
            assertThat(c.dockerfile(null)).isEqualTo(dockerfile);
            assertThat(Files.readAllBytes(c.root().resolve("link"))).as("a hard link's target is written").isEqualTo(big);
            Files.setPosixFilePermissions(c.root().resolve("changed"), PosixFilePermissions.fromString("rw-------"));
            SourceHash hashes = c.sourceHash(SourceHashTest.SYS);
            String changed = hashes.file("changed");
            String twice = hashes.file("twice");
            c.materialize();
            SourceHash fromDisk = new SourceHash(SourceHashTest.SYS, c.root());
            assertThat(changed).as("a file whose metadata changed is written, then hashed from disk")
                    .isEqualTo(fromDisk.file("changed"));
            assertThat(twice).isEqualTo(fromDisk.file("twice"));
            assertThat(Files.readAllBytes(c.root().resolve("twice"))).as("the later entry wins").isEqualTo(big);
        }
    }

    @Test
    void aFullPoolWritesAtOnceAndClosingGivesItsMemoryBack() throws IOException {
        byte[] big = body(200_000, 5);
        byte[] t = tar(w -> file(w, "big", big, 0644));
        BodyPool pool = new BodyPool(300_000, 1 << 20);
        BuildContext first = BuildContext.fromArchive(new ByteArrayInputStream(t), scratch, pool, null, null);
        assertThat(Files.readAllBytes(first.root().resolve("big"))).isNotEqualTo(big);
        try (BuildContext second = BuildContext.fromArchive(new ByteArrayInputStream(t), scratch, pool, null, null)) {
            assertThat(Files.readAllBytes(second.root().resolve("big"))).as("no room: written at once").isEqualTo(big);
        }
        first.close();
        try (BuildContext third = BuildContext.fromArchive(new ByteArrayInputStream(t), scratch, pool, null, null)) {
            assertThat(Files.readAllBytes(third.root().resolve("big"))).as("room again").isNotEqualTo(big);
            third.materialize();
            assertThat(Files.readAllBytes(third.root().resolve("big"))).isEqualTo(big);
        }
    }

    /** Each entry below {@code root}: type, mode, owner, size, and content or link target. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var walk = Files.walk(root)) {
            for (Path p : walk.filter(p -> !p.equals(root)).toList()) {
                var st = SourceHashTest.SYS.lstat(p);
                String what = st.isSymlink() ? "-> " + Files.readSymbolicLink(p)
                        : st.isRegular() ? java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(Files.readAllBytes(p))) : "dir";
                out.put(root.relativize(p).toString(), Integer.toOctalString(st.mode()) + " " + st.uid() + ":" + st.gid()
                        + " " + (st.isDir() ? 0 : st.size()) + " " + what);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void aContextUnpackedIntoAnEarlierOnesDirectoryEndsAsIfTheDirectoryWereNew() throws IOException {
        byte[] a = tar(w -> {
            file(w, "Dockerfile", "FROM scratch\n");
            w.add(TarEntry.dir("d", 0750, T), null);
            file(w, "d/x", "x");
            file(w, "big", body(200_000, 6), 0644);
            file(w, "keep", "keep", 0600);
            w.add(TarEntry.hardlink("h", "keep", T), null);
            w.add(TarEntry.symlink("s", "keep", T), null);
            w.add(TarEntry.dir("p", 0700, T), null);
            file(w, "p/c", "c");
            file(w, "gone", "gone");
        });
        byte[] b = tar(w -> {
            file(w, "Dockerfile", "FROM busybox\n");
            file(w, "d", "now a file");
            file(w, "big", body(200_000, 7), 0640);
            file(w, "keep", "kept longer", 0644);
            w.add(TarEntry.symlink("s", "Dockerfile", T), null);
            file(w, "p/c", "c2");
            file(w, "n", body(100_000, 8), 0644);
        });
        ContextDirs dirs = new ContextDirs(1);
        BodyPool pool = new BodyPool(4 << 20, 1 << 20);
        Path firstRoot;
        try (BuildContext first = BuildContext.fromArchive(new ByteArrayInputStream(a), scratch, pool, null, dirs)) {
            firstRoot = first.root();
            first.materialize();
        }
        assertThat(firstRoot).as("kept for the next context").isDirectory();
        Path other = Files.createDirectory(scratch.resolve("fresh"));
        try (BuildContext reused = BuildContext.fromArchive(new ByteArrayInputStream(b), scratch, pool, null, dirs);
             BuildContext fresh = BuildContext.fromArchive(new ByteArrayInputStream(b), other, pool, null, null)) {
            assertThat(reused.root()).isEqualTo(firstRoot);
            assertThat(reused.sourceHash(SourceHashTest.SYS).dir("", p -> false))
                    .isEqualTo(fresh.sourceHash(SourceHashTest.SYS).dir("", p -> false));
            reused.materialize();
            fresh.materialize();
            assertThat(snapshot(reused.root())).isEqualTo(snapshot(fresh.root())).doesNotContainKeys("gone", "h", "d/x");
            assertThat(new SourceHash(SourceHashTest.SYS, reused.root()).dir("", p -> false))
                    .isEqualTo(new SourceHash(SourceHashTest.SYS, fresh.root()).dir("", p -> false));
        }
    }

    @Test
    void droppedBuildFilesAreNotWrittenLater() throws IOException {
        String dockerfile = "FROM scratch\n#" + "x".repeat(100_000) + "\n";
        byte[] t = tar(w -> {
            file(w, "Dockerfile", dockerfile);
            file(w, ".dockerignore", "Dockerfile\n");
        });
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(t), scratch, new BodyPool(1 << 20, 0), null, null)) {
            assertThat(c.dockerfile(null)).isEqualTo(dockerfile);
            c.dropBuildFiles(null);
            c.materialize();
            assertThat(c.root().resolve("Dockerfile")).doesNotExist();
        }
    }

    @Test
    void closeRemovesTheScratchDirectory() throws IOException {
        BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(tar(w -> {
            w.add(TarEntry.dir("ro", 0555, T), null);
            file(w, "ro/x", "x");
        })), scratch);
        c.close();
        try (var s = Files.list(scratch)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void refusesEntriesThatClimbOut() throws IOException {
        byte[] t = tar(w -> file(w, "a/../../evil", "x"));
        assertThatThrownBy(() -> BuildContext.fromArchive(new ByteArrayInputStream(t), scratch))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessageContaining("escapes the build context");
        assertThat(scratch.getParent().resolve("evil")).doesNotExist();
        try (var s = Files.list(scratch)) {
            assertThat(s).as("a failed unpack leaves nothing").isEmpty();
        }
    }

    @Test
    void refusesWritingThroughASymlinkedParent() throws IOException {
        Path outside = Files.createDirectory(scratch.resolve("outside"));
        byte[] t = tar(w -> {
            w.add(TarEntry.symlink("link", outside.toString(), T), null);
            file(w, "link/owned", "x");
        });
        assertThatThrownBy(() -> BuildContext.fromArchive(new ByteArrayInputStream(t), scratch.resolve("ctx")))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessageContaining("is a symbolic link");
        assertThat(outside.resolve("owned")).doesNotExist();
    }

    @Test
    void refusesHardLinksToOutside() throws IOException {
        byte[] t = tar(w -> w.add(TarEntry.hardlink("h", "../../../etc/passwd", T), null));
        assertThatThrownBy(() -> BuildContext.fromArchive(new ByteArrayInputStream(t), scratch))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessageContaining("escapes the build context");
    }

    @Test
    void absoluteNamesStayInsideAndDevicesAreSkipped() throws IOException {
        byte[] t = tar(w -> {
            file(w, "/etc/abs", "inside");
            w.add(TarEntry.device("dev", TarEntry.Type.CHAR, 0666, 1, 3, T), null);
            file(w, "inner", "in");
            w.add(TarEntry.hardlink("inner2", "inner", T), null);
        });
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(t), scratch)) {
            assertThat(c.root().resolve("etc/abs")).hasContent("inside");
            assertThat(c.root().resolve("dev")).doesNotExist();
            assertThat(c.root().resolve("inner2")).hasContent("in");
        }
    }

    @Test
    void dockerfileLookupAsMoby() throws IOException {
        byte[] t = tar(w -> {
            file(w, "dockerfile", "FROM lower\n");
            file(w, "empty", "");
            w.add(TarEntry.symlink("out", "../../../../etc/hostname", T), null);
        });
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(t), scratch)) {
            assertThat(c.dockerfile(null)).isEqualTo("FROM lower\n");
            assertThatThrownBy(() -> c.dockerfile("other/Dockerfile"))
                    .isInstanceOf(BerthException.InvalidArgument.class)
                    .hasMessage("Cannot locate specified Dockerfile: other/Dockerfile");
            assertThatThrownBy(() -> c.dockerfile("../Dockerfile"))
                    .isInstanceOf(BerthException.InvalidArgument.class)
                    .hasMessage("forbidden path outside the build context: ../Dockerfile ()");
            assertThatThrownBy(() -> c.dockerfile("empty")).hasMessage("the Dockerfile (empty) cannot be empty");
            assertThatThrownBy(() -> c.dockerfile("out")).as("a link is followed inside the context only")
                    .hasMessage("Cannot locate specified Dockerfile: out");
        }
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(tar(w -> file(w, "x", "x"))), scratch)) {
            assertThatThrownBy(() -> c.dockerfile(""))
                    .isInstanceOf(BerthException.InvalidArgument.class)
                    .hasMessage("Cannot locate specified Dockerfile: Dockerfile");
        }
    }

    @Test
    void dropBuildFilesRemovesWhatDockerignoreExcludes() throws IOException {
        byte[] t = tar(w -> {
            file(w, "Dockerfile", "FROM scratch\n");
            file(w, ".dockerignore", "Dockerfile\n.dockerignore\n*.log\n");
            file(w, "app.log", "kept: the client filters, the daemon drops only the build files");
        });
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(t), scratch)) {
            assertThat(c.dockerfile(null)).isEqualTo("FROM scratch\n");
            c.dropBuildFiles(null);
            assertThat(c.root().resolve("Dockerfile")).doesNotExist();
            assertThat(c.root().resolve(".dockerignore")).doesNotExist();
            assertThat(c.root().resolve("app.log")).exists();
            assertThat(c.ignore().excludes("x.log")).isTrue();
        }
        byte[] keep = tar(w -> {
            file(w, "build.df", "FROM scratch\n");
            file(w, ".dockerignore", "*.log\n");
        });
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(keep), scratch)) {
            c.dropBuildFiles("build.df");
            assertThat(c.root().resolve("build.df")).exists();
            assertThat(c.root().resolve(".dockerignore")).exists();
        }
    }

    private String serve(String path, String contentType, byte[] body, int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            if (!ex.getRequestURI().getPath().equals(path)) {
                byte[] nf = "no such thing\n".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(404, nf.length);
                ex.getResponseBody().write(nf);
            } else {
                if (contentType != null) ex.getResponseHeaders().set("Content-Type", contentType);
                ex.sendResponseHeaders(status, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void remoteTarAndRemoteDockerfile() throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        String base = serve("/ctx.tar", "application/x-tar", simple(), 200);
        try (BuildContext c = BuildContext.fromRemote(base + "/ctx.tar", scratch, http)) {
            assertThat(c.root().resolve("src/run.sh")).hasContent("echo hi");
        }
        server.stop(0);
        base = serve("/Dockerfile", "application/octet-stream", "FROM busybox\nRUN true\n".getBytes(), 200);
        try (BuildContext c = BuildContext.fromRemote(base + "/Dockerfile", scratch, http)) {
            assertThat(c.dockerfile("ignored.df")).isEqualTo("FROM busybox\nRUN true\n");
        }
        String missing = base + "/nothing";
        assertThatThrownBy(() -> BuildContext.fromRemote(missing, scratch, http))
                .isInstanceOf(BerthException.NotFound.class)
                .hasMessage("error downloading remote context " + missing + ": failed to GET " + missing
                        + " with status 404 Not Found: no such thing");
        server.stop(0);
        String html = serve("/x", "text/html", "<html></html>".getBytes(), 200) + "/x";
        assertThatThrownBy(() -> BuildContext.fromRemote(html, scratch, http))
                .hasMessage("error detecting content type for remote " + html + ": unsupported Content-Type \"text/html\"");
        assertThatThrownBy(() -> BuildContext.fromRemote("ftp://x/y", scratch, http))
                .hasMessage("remoteURL (ftp://x/y) could not be recognized as URL");
    }

    @Test
    void gitRemoteWithRefAndSubdirectory() throws Exception {
        try (GitRepoServer git = new GitRepoServer(scratch.resolve("git"),
                Map.of("Dockerfile", "FROM top\n", "sub/Dockerfile", "FROM sub\n"))) {
            String url = git.url();
            HttpClient http = HttpClient.newHttpClient();
            Path ctxs = scratch.resolve("contexts");
            try (BuildContext c = BuildContext.fromRemote(url, ctxs, http)) {
                assertThat(c.dockerfile(null)).isEqualTo("FROM top\n");
            }
            try (BuildContext c = BuildContext.fromRemote(url + "#v1:sub", ctxs, http)) {
                assertThat(c.dockerfile(null)).isEqualTo("FROM sub\n");
            }
            assertThatThrownBy(() -> BuildContext.fromRemote(url + "#nosuchref", ctxs, http))
                    .isInstanceOf(BerthException.InvalidArgument.class).hasMessageStartingWith("error fetching: ");
            try (var s = Files.list(ctxs)) {
                assertThat(s).as("every context removed").isEmpty();
            }
        }
    }
}
