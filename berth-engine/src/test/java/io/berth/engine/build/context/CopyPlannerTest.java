package io.berth.engine.build.context;

import com.sun.net.httpserver.HttpServer;
import io.berth.api.errors.BerthException;
import io.berth.engine.build.dockerfile.Instruction;
import io.berth.engine.sys.Sys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static io.berth.engine.build.context.Tars.file;
import static io.berth.engine.build.context.Tars.tar;
import static io.berth.engine.testing.Requirements.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopyPlannerTest {
    static final Sys SYS = Sys.linux();
    static final Instant MTIME = Instant.ofEpochSecond(1_500_000_000L);
    @TempDir Path tmp;
    Path ctx;
    Path rootfs;
    Ownership me;
    CopyPlanner planner;
    HttpServer server;

    @BeforeEach
    void setUp() throws IOException {
        ctx = Files.createDirectory(tmp.resolve("ctx"));
        rootfs = Files.createDirectory(tmp.resolve("rootfs"));
        Sys.LStat st = SYS.lstat(tmp);
        me = new Ownership(st.uid(), st.gid()); // who we are: no root needed unless a test asks for another owner
        planner = new CopyPlanner(SYS, HttpClient.newHttpClient(), tmp.resolve("scratch"));
        write("a.txt", "alpha", "rw-r-----");
        write("b.txt", "beta", "rw-r--r--");
        Files.createDirectories(ctx.resolve("src/sub"));
        write("src/run.sh", "#!/bin/sh\n", "rwxr-xr-x");
        write("src/sub/data.log", "log", "rw-r--r--");
        Files.createSymbolicLink(ctx.resolve("src/link"), Path.of("run.sh"));
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private void write(String rel, String content, String perms) throws IOException {
        Path p = Files.writeString(ctx.resolve(rel), content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        Files.setLastModifiedTime(p, FileTime.from(MTIME));
    }

    private static CopySpec copy(List<String> sources, String dest) {
        return new CopySpec("COPY", sources, dest, "/", List.of(), null, null, false, List.of(), null, false, null);
    }

    private CopyPlan plan(CopySpec spec) throws IOException {
        return planner.plan(spec, ctx, new SourceHash(SYS, ctx), true);
    }

    private void run(CopySpec spec) throws IOException {
        try (CopyPlan p = plan(spec)) {
            p.apply(rootfs, me);
        }
    }

    private Path in(String path) { return rootfs.resolve(path.substring(1)); }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void fileToFileKeepsModeAndMtime() throws IOException {
        run(copy(List.of("a.txt"), "/dest/b.txt"));
        Path f = in("/dest/b.txt");
        assertThat(f).hasContent("alpha");
        assertThat(perms(f)).isEqualTo("rw-r-----");
        assertThat(Files.getLastModifiedTime(f).toInstant()).isEqualTo(MTIME);
        assertThat(perms(in("/dest"))).as("missing directories are 0755").isEqualTo("rwxr-xr-x");
    }

    @Test
    void fileIntoADirectory() throws IOException {
        run(copy(List.of("./a.txt"), "/dest/"));
        assertThat(in("/dest/a.txt")).hasContent("alpha");
        Files.createDirectories(in("/existing"));
        run(copy(List.of("/b.txt"), "/existing"));
        assertThat(in("/existing/b.txt")).as("an existing directory takes the file").hasContent("beta");
    }

    @Test
    void relativeDestinationIsBelowWorkdir() throws IOException {
        run(new CopySpec("COPY", List.of("a.txt"), "rel/", "/work", List.of(), null, null, false, List.of(), null, false, null));
        assertThat(in("/work/rel/a.txt")).hasContent("alpha");
    }

    @Test
    void aDirectoryCopiesItsContentsAndKeepsLinks() throws IOException {
        run(copy(List.of("src"), "/app"));
        assertThat(in("/app/run.sh")).hasContent("#!/bin/sh\n");
        assertThat(in("/app/src")).doesNotExist();
        assertThat(in("/app/sub/data.log")).hasContent("log");
        assertThat(Files.readSymbolicLink(in("/app/link"))).hasToString("run.sh");
        assertThat(perms(in("/app/run.sh"))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void wildcardsMatchPerSegment() throws IOException {
        run(copy(List.of("*.txt"), "/w/"));
        assertThat(in("/w/a.txt")).hasContent("alpha");
        assertThat(in("/w/b.txt")).hasContent("beta");
        run(copy(List.of("src/*/*.log"), "/l/"));
        assertThat(in("/l/data.log")).hasContent("log");
        assertThatThrownBy(() -> plan(copy(List.of("*.none"), "/w/")))
                .isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("COPY failed: no source files were specified");
    }

    @Test
    void severalSourcesNeedADirectoryDestination() throws IOException {
        assertThatThrownBy(() -> plan(copy(List.of("a.txt", "b.txt"), "/d")))
                .hasMessage("When using COPY with more than one source file, the destination must be a directory and end with a /");
        assertThatThrownBy(() -> plan(copy(List.of("*.txt"), "/d")))
                .hasMessage("When using COPY with more than one source file, the destination must be a directory and end with a /");
        try (CopyPlan p = plan(copy(List.of("a.txt", "src"), "/d/"))) {
            assertThat(p.sourceHash()).startsWith("multi:");
            p.apply(rootfs, me);
        }
        assertThat(in("/d/a.txt")).exists();
        assertThat(in("/d/run.sh")).exists();
    }

    @Test
    void parentsKeepTheSourcePath() throws IOException {
        run(new CopySpec("COPY", List.of("src/sub/data.log", "./src/./sub"), "/p/", "/", List.of(), null, null, true,
                List.of(), null, false, null));
        assertThat(in("/p/src/sub/data.log")).hasContent("log");
        assertThat(in("/p/sub/data.log")).as("the part after /./ is kept").hasContent("log");
    }

    @Test
    void excludesSkipMatchesAndChangeTheKey() throws IOException {
        CopySpec spec = new CopySpec("COPY", List.of("src"), "/e", "/", List.of(), null, null, false,
                List.of("**/*.log"), null, false, null);
        String plain;
        try (CopyPlan p = plan(copy(List.of("src"), "/e"))) {
            plain = p.cacheKey();
        }
        try (CopyPlan p = plan(spec)) {
            assertThat(p.cacheKey()).isNotEqualTo(plain);
            p.apply(rootfs, me);
        }
        assertThat(in("/e/run.sh")).exists();
        assertThat(in("/e/sub/data.log")).doesNotExist();
        run(new CopySpec("COPY", List.of("*.txt"), "/f/", "/", List.of(), null, null, false, List.of("b.*"), null, false, null));
        assertThat(in("/f/a.txt")).exists();
        assertThat(in("/f/b.txt")).doesNotExist();
    }

    @Test
    void chmodOctalAndSymbolic() throws IOException {
        run(new CopySpec("COPY", List.of("a.txt"), "/m/a", "/", List.of(), null, "0711", false, List.of(), null, false, null));
        assertThat(perms(in("/m/a"))).isEqualTo("rwx--x--x");
        run(new CopySpec("COPY", List.of("src"), "/s", "/", List.of(), null, "u=rwX,go=rX", false, List.of(), null, false, null));
        assertThat(perms(in("/s/sub/data.log"))).isEqualTo("rw-r--r--");
        assertThat(perms(in("/s/run.sh"))).isEqualTo("rwxr-xr-x");
        assertThat(perms(in("/s/sub"))).isEqualTo("rwxr-xr-x");
        assertThatThrownBy(() -> ChmodSpec.parse("64a"))
                .hasMessage("invalid chmod parameter: '64a'. it should be octal string and between 0 and 07777");
        assertThat(ChmodSpec.parse("+x").apply(0644, false)).isEqualTo(0755);
        assertThat(ChmodSpec.parse("go-rwx").apply(0755, true)).isEqualTo(0700);
    }

    @Test
    void heredocBecomesAFile() throws IOException {
        Instruction.Heredoc doc = new Instruction.Heredoc("EOF", "hello\nworld\n", true, false);
        CopySpec spec = new CopySpec("COPY", List.of("EOF"), "/etc/motd", "/", List.of(doc), null, null, false,
                List.of(), null, false, null);
        try (CopyPlan p = plan(spec)) {
            assertThat(p.cacheKey()).startsWith("COPY file:").endsWith(" in /etc/motd ");
            p.apply(rootfs, me);
        }
        assertThat(in("/etc/motd")).hasContent("hello\nworld");
        assertThat(perms(in("/etc/motd"))).isEqualTo("rw-r--r--");
    }

    private byte[] targz() throws IOException {
        byte[] t = tar(w -> {
            file(w, "pkg/bin/tool", "tool");
            file(w, "pkg/README", "readme");
        });
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(o)) {
            z.write(t);
        }
        return o.toByteArray();
    }

    @Test
    void addUnpacksLocalArchivesCopyDoesNot() throws IOException {
        Files.write(ctx.resolve("pkg.tar.gz"), targz());
        run(new CopySpec("ADD", List.of("pkg.tar.gz"), "/opt/", "/", List.of(), null, null, false, List.of(), null, false, null));
        assertThat(in("/opt/pkg/bin/tool")).hasContent("tool");
        assertThat(in("/opt/pkg.tar.gz")).doesNotExist();
        run(copy(List.of("pkg.tar.gz"), "/c/"));
        assertThat(in("/c/pkg.tar.gz")).exists();
        run(new CopySpec("ADD", List.of("pkg.tar.gz"), "/n/", "/", List.of(), null, null, false, List.of(), null, false, false));
        assertThat(in("/n/pkg.tar.gz")).as("--unpack=false").exists();
    }

    @Test
    void addDownloadsUrlsAndVerifiesTheChecksum() throws Exception {
        byte[] body = "remote content\n".getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/files/tool.bin", ex -> {
            ex.getResponseHeaders().set("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/tool.bin";
        CopySpec spec = new CopySpec("ADD", List.of(url), "/dl/", "/", List.of(), null, null, false, List.of(), null, false, null);
        String key;
        try (CopyPlan p = plan(spec)) {
            key = p.cacheKey();
            p.apply(rootfs, me);
        }
        assertThat(in("/dl/tool.bin")).hasContent("remote content");
        assertThat(perms(in("/dl/tool.bin"))).isEqualTo("rw-------");
        assertThat(Files.getLastModifiedTime(in("/dl/tool.bin")).toInstant()).isEqualTo(Instant.parse("2015-10-21T07:28:00Z"));
        try (CopyPlan p = plan(spec)) {
            assertThat(p.cacheKey()).as("the same download, the same key").isEqualTo(key);
        }
        String sum = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        try (CopyPlan p = plan(new CopySpec("ADD", List.of(url), "/dl/", "/", List.of(), null, null, false, List.of(), sum, false, null))) {
            assertThat(p.sourceHash()).startsWith("file:");
        }
        String wrong = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> plan(new CopySpec("ADD", List.of(url), "/dl/", "/", List.of(), null, null, false, List.of(), wrong, false, null)))
                .hasMessage("digest mismatch " + sum + ": " + wrong);
        assertThatThrownBy(() -> plan(copy(List.of(url), "/dl/")))
                .hasMessage("COPY failed: source can't be a URL for COPY");
        try (var s = Files.list(tmp.resolve("scratch"))) {
            assertThat(s).as("downloads removed when plans close").isEmpty();
        }
    }

    @Test
    void missingAndOutsideSources() {
        assertThatThrownBy(() -> plan(copy(List.of("missing.txt"), "/x")))
                .isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("COPY failed: file not found in build context or excluded by .dockerignore: "
                        + "stat missing.txt: file does not exist");
        assertThatThrownBy(() -> plan(copy(List.of("../x"), "/x")))
                .hasMessage("COPY failed: forbidden path outside the build context: ../x ()");
        assertThatThrownBy(() -> planner.plan(copy(List.of("nope"), "/x"), ctx, new SourceHash(SYS, ctx), false))
                .as("--from another stage").hasMessage("COPY failed: stat nope: file does not exist");
    }

    @Test
    void contextLinksAreFollowedOnlyInsideTheContext() throws IOException {
        Files.createSymbolicLink(ctx.resolve("passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> plan(copy(List.of("passwd"), "/x")))
                .hasMessageContaining("file not found in build context");
        Files.createDirectories(ctx.resolve("etc"));
        Files.writeString(ctx.resolve("etc/passwd"), "context's own");
        run(copy(List.of("passwd"), "/x"));
        assertThat(in("/x")).hasContent("context's own");
    }

    @Test
    void destinationLinksNeverLeaveTheRootfs() throws IOException {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.createSymbolicLink(rootfs.resolve("evil"), outside);
        Files.createSymbolicLink(rootfs.resolve("up"), Path.of("../../../.."));
        run(copy(List.of("a.txt"), "/evil/"));
        run(copy(List.of("src"), "/up/tree"));
        try (var s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
        assertThat(rootfs.resolve(outside.toString().substring(1)).resolve("a.txt")).as("the link, read inside the rootfs")
                .hasContent("alpha");
        assertThat(rootfs.resolve("tree/run.sh")).exists();
        assertThat(tmp.resolve("tree")).doesNotExist();
    }

    @Test
    void cacheKeyAsTheClassicBuilder() throws IOException {
        try (CopyPlan p = plan(new CopySpec("COPY", List.of("a.txt"), "/d", "/", List.of(), "1:2", null, false, List.of(), null, false, null))) {
            assertThat(p.cacheKey()).matches("COPY --chown=1:2 file:[0-9a-f]{64} in /d ");
        }
        String first;
        try (CopyPlan p = plan(copy(List.of("src"), "/d"))) {
            first = p.cacheKey();
            assertThat(first).matches("COPY dir:[0-9a-f]{64} in /d ");
        }
        Files.setLastModifiedTime(ctx.resolve("src/run.sh"), FileTime.from(Instant.now()));
        try (CopyPlan p = plan(copy(List.of("src"), "/d"))) {
            assertThat(p.cacheKey()).isEqualTo(first);
        }
    }

    @Test
    void chownResolvesNamesInTheRootfs() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:\napp:x:1000:\n");
        assertThat(Ownership.resolve(null, rootfs)).isEqualTo(Ownership.ROOT);
        assertThat(Ownership.resolve("app", rootfs)).as("the user's spec names the group too").isEqualTo(new Ownership(1000, 1000));
        assertThat(Ownership.resolve("app:staff", rootfs)).isEqualTo(new Ownership(1000, 50));
        assertThat(Ownership.resolve("7:8", rootfs)).isEqualTo(new Ownership(7, 8));
        assertThatThrownBy(() -> Ownership.resolve("nobody", rootfs))
                .hasMessage("unable to convert uid/gid chown string to host mapping: can't find uid for user nobody: no such user: nobody");
        assertThatThrownBy(() -> Ownership.resolve("app:wheel", rootfs))
                .hasMessage("unable to convert uid/gid chown string to host mapping: can't find gid for group wheel: no such group: wheel");
        assertThatThrownBy(() -> Ownership.resolve("a:b:c", rootfs))
                .hasMessage("unable to convert uid/gid chown string to host mapping: invalid chown string format: a:b:c");

        require(me.uid() == 0, "chown to another user needs root");
        try (CopyPlan p = plan(copy(List.of("src"), "/owned/deep"))) {
            p.apply(rootfs, Ownership.resolve("app:staff", rootfs));
        }
        for (String path : List.of("/owned", "/owned/deep", "/owned/deep/run.sh", "/owned/deep/link")) {
            Sys.LStat st = SYS.lstat(in(path));
            assertThat(st.uid()).as(path).isEqualTo(1000);
            assertThat(st.gid()).as(path).isEqualTo(50);
        }
        run(copy(List.of("a.txt"), "/rootowned/a"));
        assertThat(SYS.lstat(in("/rootowned/a")).uid()).isZero();
    }

    @Test
    void addOfAGitRepositoryCopiesItsCheckout() throws Exception {
        try (GitRepoServer git = new GitRepoServer(tmp.resolve("git"), Map.of("README", "hi\n", "lib/x.py", "x\n"))) {
            CopySpec spec = new CopySpec("ADD", List.of(git.url() + "#v1"), "/src", "/", List.of(), null, null, false,
                    List.of(), null, false, null);
            String key;
            try (CopyPlan p = plan(spec)) {
                key = p.cacheKey();
                assertThat(key).startsWith("ADD dir:");
                p.apply(rootfs, me);
            }
            assertThat(in("/src/README")).hasContent("hi");
            assertThat(in("/src/lib/x.py")).hasContent("x");
            assertThat(in("/src/.git")).doesNotExist();
            try (CopyPlan p = plan(spec)) {
                assertThat(p.cacheKey()).as("the same commit, the same key").isEqualTo(key);
            }
            CopySpec keep = new CopySpec("ADD", List.of(git.url()), "/kept", "/", List.of(), null, null, false,
                    List.of(), null, true, null);
            try (CopyPlan p = plan(keep)) {
                p.apply(rootfs, me);
            }
            assertThat(in("/kept/.git")).isDirectory();
        }
    }
}
