package io.berth.engine.container;

import io.berth.engine.archive.ScopedPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.berth.engine.testing.Requirements;

import io.berth.api.container.FilesystemChange;
import io.berth.engine.archive.LayerApplier;
import io.berth.engine.archive.LayerDiff;
import io.berth.engine.archive.TarEntry;
import io.berth.engine.archive.TarReader;
import io.berth.engine.archive.TarWriter;
import io.berth.engine.archive.TreeTar;
import io.berth.api.errors.BerthException;
import io.berth.engine.sys.Sys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerFsTest {
    private static final Sys SYS = Sys.linux();

    @TempDir Path tmp;

    private static boolean root() { return "root".equals(System.getProperty("user.name")); }

    private Path rootfs() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.createDirectories(root.resolve("tmp"));
        Files.createSymbolicLink(root.resolve("tmp/esc"), Path.of("/"));
        Files.createSymbolicLink(root.resolve("tmp/up"), Path.of("../../../../../../etc"));
        Files.createSymbolicLink(root.resolve("tmp/abs"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("tmp/a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("tmp/b"), Path.of("a"));
        return root;
    }

    @Test void symlinksAreResolvedInsideTheRoot() throws IOException {
        Path root = rootfs();
        assertThat(ScopedPath.follow(root, "/tmp/esc/etc/passwd")).containsExactly("etc", "passwd");
        assertThat(ScopedPath.follow(root, "/tmp/up/passwd")).containsExactly("etc", "passwd");
        assertThat(ScopedPath.follow(root, "tmp/abs")).containsExactly("etc", "passwd");
        assertThat(ScopedPath.follow(root, "/etc/../../../../etc/shadow")).containsExactly("etc", "shadow");
        assertThat(ScopedPath.follow(root, "/tmp/esc/../../..")).isEmpty();
        assertThat(ScopedPath.follow(root, "/nope/x")).containsExactly("nope", "x");
        assertThatThrownBy(() -> ScopedPath.follow(root, "/tmp/a")).isInstanceOf(BerthException.InvalidArgument.class);
        for (String p : List.of("/tmp/esc/etc/passwd", "/tmp/up/../../..", "/tmp/esc/tmp/esc/..")) {
            assertThat(ScopedPath.host(root, ScopedPath.follow(root, p)).normalize()).startsWith(root);
        }
    }

    private static byte[] tar(TarEntry... entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(b);
        for (TarEntry e : entries) w.add(e, e.type() == TarEntry.Type.FILE ? new ByteArrayInputStream(new byte[(int) e.size()]) : null);
        w.finish();
        return b.toByteArray();
    }

    @Test void extractionRefusesEscapes() throws IOException {
        Requirements.require(root(), "needs root (ownership from the tar)");
        Path root = rootfs();
        ContainerExtractor x = new ContainerExtractor(SYS);
        var opts = new ContainerExtractor.Options(false, null);
        Instant t = Instant.ofEpochSecond(1_000_000);
        assertThatThrownBy(() -> x.extract(new ByteArrayInputStream(tar(TarEntry.file("esc/pwned", 1, 0644, t))),
                root.resolve("tmp"), opts)).isInstanceOf(BerthException.InvalidArgument.class).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> x.extract(new ByteArrayInputStream(tar(TarEntry.file("../../pwned", 1, 0644, t))),
                root.resolve("tmp"), opts)).isInstanceOf(BerthException.InvalidArgument.class).hasMessageContaining("escapes");
        assertThatThrownBy(() -> x.extract(new ByteArrayInputStream(tar(TarEntry.hardlink("h", "../../../etc/shadow", t))),
                root.resolve("tmp"), opts)).isInstanceOf(BerthException.InvalidArgument.class);
        assertThat(tmp.resolve("pwned")).doesNotExist();
        assertThat(Path.of("/pwned")).doesNotExist();

        x.extract(new ByteArrayInputStream(tar(TarEntry.dir("d", 0750, t), TarEntry.file("d/f", 3, 0600, t).withOwner(7, 8))),
                root.resolve("tmp"), opts);
        assertThat(SYS.lstat(root.resolve("tmp/d/f")).uid()).isEqualTo(7);
        assertThat(SYS.lstat(root.resolve("tmp/d")).perm()).isEqualTo(0750);
        assertThatThrownBy(() -> x.extract(new ByteArrayInputStream(tar(TarEntry.file("d", 1, 0644, t))), root.resolve("tmp"),
                new ContainerExtractor.Options(true, null))).hasMessageContaining("cannot overwrite directory");
        x.extract(new ByteArrayInputStream(tar(TarEntry.file("d/f", 0, 0644, t))), root.resolve("tmp"),
                new ContainerExtractor.Options(false, new int[] {5, 6}));
        assertThat(SYS.lstat(root.resolve("tmp/d/f")).gid()).isEqualTo(6);
    }

    @Test void diffAndLayerDiffOfAnOverlay() throws IOException {
        Requirements.require(root(), "needs root (overlay mount)");
        Path lower = Files.createDirectories(tmp.resolve("lower"));
        Files.createDirectories(lower.resolve("etc"));
        Files.writeString(lower.resolve("etc/group"), "root:x:0:\n");
        Files.writeString(lower.resolve("etc/passwd"), "root\n");
        Files.createDirectories(lower.resolve("tmp"));
        Files.createDirectories(lower.resolve("usr/lib"));
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path merged = Files.createDirectories(tmp.resolve("merged"));
        SYS.mount("overlay", merged, "overlay", 0, "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work);
        try {
            Files.writeString(merged.resolve("tmp/x"), "hi");
            Files.delete(merged.resolve("etc/group"));
            Files.writeString(merged.resolve("etc/passwd"), "root2\n");
            Files.createDirectories(merged.resolve("new/dir"));
        } finally {
            SYS.umount(merged, 0);
        }
        List<String> got = new ArrayList<>();
        for (FilesystemChange c : new ContainerChanges(SYS, List.of(lower)).changes(upper)) got.add(c.kind() + " " + c.path());
        assertThat(got).containsExactly("0 /etc", "2 /etc/group", "0 /etc/passwd", "1 /new", "1 /new/dir", "0 /tmp", "1 /tmp/x");

        ByteArrayOutputStream diff = new ByteArrayOutputStream();
        long n = LayerDiff.write(upper, new TarWriter(diff), SYS);
        List<String> names = new ArrayList<>();
        TarReader r = new TarReader(new ByteArrayInputStream(diff.toByteArray()));
        for (TarEntry e; (e = r.next()) != null; ) names.add(e.name());
        assertThat(n).isEqualTo(names.size());
        assertThat(names).contains("etc/.wh.group", "tmp/x", "new/dir/").doesNotContain("etc/group");

        Path applied = Files.createDirectories(tmp.resolve("applied"));
        new LayerApplier(SYS).apply(new ByteArrayInputStream(diff.toByteArray()), applied);
        Sys.LStat wh = SYS.lstat(applied.resolve("etc/group"));
        assertThat(wh.isCharDevice()).isTrue();
        assertThat(Files.readString(applied.resolve("tmp/x"), StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test void archiveOfADirectoryIsNamedByItsBaseName() throws IOException {
        Path root = rootfs();
        Files.createDirectories(root.resolve("data/sub"));
        Files.writeString(root.resolve("data/sub/a"), "a");
        Files.createLink(root.resolve("data/hard"), root.resolve("data/sub/a"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(b);
        new TreeTar(SYS, w, TreeTar.Whiteouts.KEEP).write(root.resolve("data"), "data");
        w.finish();
        List<String> names = new ArrayList<>();
        TarReader r = new TarReader(new ByteArrayInputStream(b.toByteArray()));
        TarEntry link = null;
        for (TarEntry e; (e = r.next()) != null; ) {
            names.add(e.name());
            if (e.type() == TarEntry.Type.HARDLINK) link = e;
        }
        assertThat(names).containsExactly("data/", "data/hard", "data/sub/", "data/sub/a");
        assertThat(link).isNotNull();
        assertThat(link.name()).isEqualTo("data/sub/a");
        assertThat(link.linkName()).isEqualTo("data/hard");
    }
}
