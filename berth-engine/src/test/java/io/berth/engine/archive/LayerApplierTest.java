package io.berth.engine.archive;

import io.berth.engine.sys.Sys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LayerApplierTest {
    static final Sys SYS = Sys.linux();
    static final Instant T = Instant.ofEpochSecond(1_650_000_000L, 111_222_333);
    @TempDir Path tmp;

    interface Body { void write(TarWriter w) throws IOException; }

    static byte[] tar(Body b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(o)) {
            b.write(w);
        }
        return o.toByteArray();
    }

    static void file(TarWriter w, String name, String content, int mode) throws IOException {
        byte[] b = content.getBytes();
        w.add(TarEntry.file(name, b.length, mode, T), new ByteArrayInputStream(b));
    }

    private LayerApplier.ApplyResult apply(byte[] tar, Path dir) throws IOException {
        return new LayerApplier(SYS).apply(new ByteArrayInputStream(tar), dir);
    }

    static String[] list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void unpacksEveryKindWithMetadata() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("layer"));
        byte[] cap = TarRoundTripTest.CAP;
        byte[] t = tar(w -> {
            w.add(TarEntry.dir("./", 0755, T), null);
            w.add(TarEntry.dir("tmp", 01777, T), null);
            w.add(TarEntry.dir("bin", 0755, T).withOwner(0, 0), null);
            w.add(TarEntry.file("bin/ping", 5, 04755, T).withOwner(0, 0).withXattrs(Map.of("security.capability", cap)),
                    new ByteArrayInputStream("ping!".getBytes()));
            w.add(TarEntry.hardlink("bin/ping2", "bin/ping", T), null);
            w.add(TarEntry.symlink("bin/sh", "busybox", Instant.ofEpochSecond(1_000, 5)), null);
            file(w, "/home/u/.profile", "export A=1\n", 0600); // parents created implicitly
            w.add(TarEntry.file("home/u/own", 0, 02750, T).withOwner(1000, 1001), null);
            w.add(TarEntry.device("dev/null", TarEntry.Type.CHAR, 0666, 1, 3, T), null);
            w.add(TarEntry.device("dev/loop0", TarEntry.Type.BLOCK, 0660, 7, 0, T), null);
            w.add(TarEntry.device("run/fifo", TarEntry.Type.FIFO, 0620, 0, 0, T), null);
            w.add(TarEntry.dir("bin", 0711, T), null); // existing dir: metadata update only
        });
        LayerApplier.ApplyResult r = apply(t, dir);
        assertThat(r.size()).isEqualTo(5 + 11);

        Sys.LStat ping = SYS.lstat(dir.resolve("bin/ping"));
        assertThat(ping.perm()).isEqualTo(04755);
        assertThat(ping.nlink()).isEqualTo(2);
        assertThat(SYS.lstat(dir.resolve("bin/ping2")).ino()).isEqualTo(ping.ino());
        assertThat(SYS.lgetxattr(dir.resolve("bin/ping"), "security.capability")).isEqualTo(cap);
        assertThat(Files.readString(dir.resolve("bin/ping"))).isEqualTo("ping!");
        assertThat(ping.mtime()).isEqualTo(T);
        assertThat(Files.readSymbolicLink(dir.resolve("bin/sh")).toString()).isEqualTo("busybox");
        assertThat(SYS.lstat(dir.resolve("bin/sh")).mtime()).isEqualTo(Instant.ofEpochSecond(1_000, 5));
        assertThat(SYS.lstat(dir.resolve("tmp")).perm()).isEqualTo(01777);
        assertThat(SYS.lstat(dir.resolve("tmp")).mtime()).isEqualTo(T);
        assertThat(SYS.lstat(dir.resolve("bin")).perm()).isEqualTo(0711);
        assertThat(SYS.lstat(dir.resolve("bin")).mtime()).isEqualTo(T); // set after its children
        assertThat(SYS.lstat(dir).mtime()).isEqualTo(T);
        assertThat(SYS.lstat(dir.resolve("home")).perm()).isEqualTo(0755);
        assertThat(Files.readString(dir.resolve("home/u/.profile"))).isEqualTo("export A=1\n");
        Sys.LStat own = SYS.lstat(dir.resolve("home/u/own"));
        assertThat(own.uid()).isEqualTo(1000);
        assertThat(own.gid()).isEqualTo(1001);
        assertThat(own.perm()).isEqualTo(02750);
        Sys.LStat nul = SYS.lstat(dir.resolve("dev/null"));
        assertThat(nul.isCharDevice()).isTrue();
        assertThat(nul.rdevMajor()).isEqualTo(1);
        assertThat(nul.rdevMinor()).isEqualTo(3);
        assertThat(nul.perm()).isEqualTo(0666);
        assertThat(SYS.lstat(dir.resolve("dev/loop0")).type()).isEqualTo(Sys.S_IFBLK);
        assertThat(SYS.lstat(dir.resolve("run/fifo")).type()).isEqualTo(Sys.S_IFIFO);
        assertThat(SYS.lstat(dir.resolve("run/fifo")).perm()).isEqualTo(0620);
    }

    @Test
    void whiteoutsBecomeOverlayFormat() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("layer"));
        byte[] t = tar(w -> {
            w.add(TarEntry.dir("etc", 0755, T), null);
            file(w, "etc/group", "stale", 0644);      // replaced by the whiteout below
            w.add(TarEntry.file("etc/.wh.group", 0, 0644, T), null);
            w.add(TarEntry.file("etc/.wh.shadow", 0, 0644, T), null);
            w.add(TarEntry.dir("data", 0755, T), null);
            file(w, "data/early", "kept", 0644);
            w.add(TarEntry.file("data/.wh..wh..opq", 0, 0644, T), null);
            file(w, "data/late", "new", 0644);
            w.add(TarEntry.file("new/dir/.wh..wh..opq", 0, 0644, T), null); // dir created on demand
            w.add(TarEntry.file(".wh..wh.plnk", 0, 0644, T), null);          // aufs metadata skipped
            w.add(TarEntry.file(".wh..wh.aufs", 0, 0644, T), null);
        });
        apply(t, dir);
        for (String wh : new String[] {"etc/group", "etc/shadow"}) {
            Sys.LStat st = SYS.lstat(dir.resolve(wh));
            assertThat(st.isCharDevice()).as(wh).isTrue();
            assertThat(st.rdevMajor()).isZero();
            assertThat(st.rdevMinor()).isZero();
        }
        assertThat(list(dir.resolve("etc"))).containsExactly("group", "shadow");
        assertThat(SYS.lgetxattr(dir.resolve("data"), "trusted.overlay.opaque")).isEqualTo(new byte[] {'y'});
        assertThat(list(dir.resolve("data"))).containsExactly("early", "late");
        assertThat(SYS.lgetxattr(dir.resolve("new/dir"), "trusted.overlay.opaque")).isEqualTo(new byte[] {'y'});
        assertThat(list(dir)).containsExactly("data", "etc", "new");
    }

    @Test
    void replacesExistingEntries() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("layer"));
        Files.createDirectories(dir.resolve("x/deep/er"));
        Files.writeString(dir.resolve("x/deep/er/f"), "f");
        Files.writeString(dir.resolve("d"), "file where a dir goes");
        Files.writeString(dir.resolve("h"), "old h");
        Files.createSymbolicLink(dir.resolve("s"), Path.of("/etc"));
        byte[] t = tar(w -> {
            file(w, "x", "now a file", 0644);
            w.add(TarEntry.dir("d", 0700, T), null);
            file(w, "target", "T", 0644);
            w.add(TarEntry.hardlink("h", "target", T), null);
            w.add(TarEntry.dir("s", 0755, T), null); // a dir where a symlink was: symlink replaced
            file(w, "s/inside", "safe", 0644);
            w.add(TarEntry.hardlink("target", "target", T), null); // link to itself: no-op
        });
        apply(t, dir);
        assertThat(Files.readString(dir.resolve("x"))).isEqualTo("now a file");
        assertThat(SYS.lstat(dir.resolve("d")).isDir()).isTrue();
        assertThat(SYS.lstat(dir.resolve("d")).perm()).isEqualTo(0700);
        assertThat(Files.readString(dir.resolve("h"))).isEqualTo("T");
        assertThat(SYS.lstat(dir.resolve("h")).nlink()).isEqualTo(2);
        assertThat(SYS.lstat(dir.resolve("s")).isDir()).isTrue();
        assertThat(Files.readString(dir.resolve("s/inside"))).isEqualTo("safe");
        assertThat(Files.exists(Path.of("/etc/inside"))).isFalse();
    }

    @Test
    void gzipAndZstdLayersThroughCompression() throws IOException {
        byte[] t = tar(w -> file(w, "a/b", "content", 0644));
        for (byte[] packed : new byte[][] {t, CompressionTest.gzip(t), CompressionTest.zstd(t)}) {
            Path dir = Files.createTempDirectory(tmp, "l");
            new LayerApplier(SYS).apply(Compression.decompress(new ByteArrayInputStream(packed)), dir);
            assertThat(Files.readString(dir.resolve("a/b"))).isEqualTo("content");
        }
    }

    @Test
    void gnuTarLayerWithXattrsAndLongNames() throws Exception {
        Path src = Files.createDirectory(tmp.resolve("src"));
        String longPath = "p".repeat(120) + "/" + "q".repeat(120);
        Files.createDirectories(src.resolve(longPath).getParent());
        Files.writeString(src.resolve(longPath), "deep");
        Path ping = Files.writeString(src.resolve("ping"), "p");
        SYS.lsetxattr(ping, "security.capability", TarRoundTripTest.CAP);
        for (String format : new String[] {"pax", "gnu"}) {
            Path tarFile = tmp.resolve(format + ".tar");
            if (format.equals("pax")) {
                GnuTarInteropTest.run(src, "tar", "--xattrs", "--xattrs-include=*", "--format=pax", "-cf", tarFile.toString(), ".");
            } else {
                GnuTarInteropTest.run(src, "tar", "--format=gnu", "-cf", tarFile.toString(), ".");
            }
            Path dir = Files.createDirectory(tmp.resolve("out-" + format));
            apply(Files.readAllBytes(tarFile), dir);
            assertThat(Files.readString(dir.resolve(longPath))).isEqualTo("deep");
            if (format.equals("pax")) {
                assertThat(SYS.lgetxattr(dir.resolve("ping"), "security.capability")).isEqualTo(TarRoundTripTest.CAP);
            }
        }
    }
}
