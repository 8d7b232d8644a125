package io.berth.engine.archive;

import io.berth.api.errors.BerthException;
import io.berth.engine.sys.Sys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import static io.berth.engine.archive.LayerApplierTest.file;
import static io.berth.engine.archive.LayerApplierTest.list;
import static io.berth.engine.archive.LayerApplierTest.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Layers that try to write outside the target directory must be refused, and nothing may leak out. */
class HostileTarTest {
    static final Sys SYS = Sys.linux();
    static final Instant T = Instant.ofEpochSecond(1_650_000_000L);
    @TempDir Path tmp;
    Path dir, canary, outside;
    Instant outsideMtime;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectory(tmp.resolve("layer"));
        canary = Files.createDirectory(tmp.resolve("canary"));
        outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Files.createDirectory(outside.resolve("b"));
        SYS.lutimes(outside.resolve("b"), Instant.ofEpochSecond(1000), Instant.ofEpochSecond(1000));
        outsideMtime = SYS.lstat(outside.resolve("b")).mtime();
    }

    @AfterEach
    void nothingLeaked() throws IOException {
        assertThat(list(canary)).isEmpty();
        assertThat(list(tmp)).containsExactlyInAnyOrder("layer", "canary", "outside");
        assertThat(list(outside)).containsExactlyInAnyOrder("secret", "b");
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("secret");
        assertThat(SYS.lstat(outside.resolve("secret")).nlink()).isEqualTo(1);
        assertThat(SYS.lstat(outside.resolve("secret")).perm()).isEqualTo(0644);
        assertThat(SYS.lstat(outside.resolve("b")).mtime()).isEqualTo(outsideMtime);
        assertThat(list(outside.resolve("b"))).isEmpty();
    }

    private void apply(byte[] t) throws IOException {
        new LayerApplier(SYS).apply(new ByteArrayInputStream(t), dir);
    }

    private void refused(byte[] t, String messagePart) {
        assertThatThrownBy(() -> apply(t)).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessageContaining(messagePart);
    }

    @Test
    void dotDotAtTheTop() throws IOException {
        refused(tar(w -> file(w, "../canary/evil", "x", 0644)), "invalid tar entry \"../canary/evil\": path escapes the layer root");
    }

    @Test
    void dotDotInTheMiddle() throws IOException {
        refused(tar(w -> file(w, "a/../../canary/evil", "x", 0644)), "path escapes the layer root");
        refused(tar(w -> w.add(TarEntry.dir("a/b/../../../canary/d", 0755, T), null)), "path escapes the layer root");
    }

    @Test
    void harmlessDotDotStaysInside() throws IOException {
        apply(tar(w -> file(w, "./a/../b", "x", 0644)));
        assertThat(Files.readString(dir.resolve("b"))).isEqualTo("x");
    }

    @Test
    void absoluteNamesLandInsideTheLayer() throws IOException {
        String name = "berth-hostile-" + UUID.randomUUID();
        apply(tar(w -> {
            file(w, "/etc/" + name, "x", 0644);
            file(w, "//" + name, "y", 0644);
        }));
        assertThat(Files.readString(dir.resolve("etc/" + name))).isEqualTo("x");
        assertThat(Files.readString(dir.resolve(name))).isEqualTo("y");
        assertThat(Files.exists(Path.of("/etc", name))).isFalse();
        assertThat(Files.exists(Path.of("/", name))).isFalse();
    }

    @Test
    void symlinkToRootThenWriteThroughIt() throws IOException {
        String name = "berth-hostile-" + UUID.randomUUID();
        refused(tar(w -> {
            w.add(TarEntry.symlink("l", "/", T), null);
            file(w, "l/etc/" + name, "x", 0644);
        }), "parent \"l\" is a symbolic link");
        assertThat(Files.exists(Path.of("/etc", name))).isFalse();
    }

    @Test
    void symlinkToParentThenWriteThroughIt() throws IOException {
        refused(tar(w -> {
            w.add(TarEntry.symlink("l", "..", T), null);
            file(w, "l/canary/evil", "x", 0644);
        }), "is a symbolic link");
        refused(tar(w -> {
            w.add(TarEntry.symlink("m", "../canary", T), null);
            w.add(TarEntry.dir("m/sub", 0755, T), null);
        }), "is a symbolic link");
    }

    @Test
    void whiteoutsAndOpaqueThroughSymlink() throws IOException {
        refused(tar(w -> {
            w.add(TarEntry.symlink("l", "../outside", T), null);
            w.add(TarEntry.file("l/.wh.secret", 0, 0644, T), null);
        }), "is a symbolic link");
        refused(tar(w -> {
            w.add(TarEntry.symlink("l", "../outside", T), null);
            w.add(TarEntry.file("l/.wh..wh..opq", 0, 0644, T), null);
        }), "is a symbolic link");
        assertThat(SYS.lgetxattr(outside, "trusted.overlay.opaque")).isNull();
        refused(tar(w -> w.add(TarEntry.file("../outside/.wh.secret", 0, 0644, T), null)), "escapes");
    }

    @Test
    void hardLinksOutOfTheLayer() throws IOException {
        refused(tar(w -> w.add(TarEntry.hardlink("h", "../../etc/passwd", T), null)),
                "invalid tar entry \"h\": hard link target \"../../etc/passwd\" escapes the layer root");
        refused(tar(w -> w.add(TarEntry.hardlink("h", "../outside/secret", T), null)), "escapes the layer root");
        refused(tar(w -> {
            w.add(TarEntry.symlink("l", "../outside", T), null);
            w.add(TarEntry.hardlink("h", "l/secret", T), null);
        }), "passes through a non-directory");
        refused(tar(w -> w.add(TarEntry.hardlink("h", "missing", T), null)), "does not exist");
    }

    @Test
    void hardLinkToAbsoluteNameStaysInside() throws IOException {
        apply(tar(w -> {
            file(w, "etc/passwd", "root:x:0:0", 0644);
            w.add(TarEntry.hardlink("h", "/etc/passwd", T), null);
        }));
        assertThat(SYS.lstat(dir.resolve("h")).ino()).isEqualTo(SYS.lstat(dir.resolve("etc/passwd")).ino());
    }

    @Test
    void hardLinkToASymlinkDoesNotChmodItsTarget() throws IOException {
        apply(tar(w -> {
            w.add(TarEntry.symlink("s", "../outside/secret", T), null);
            w.add(new TarEntry("h", TarEntry.Type.HARDLINK, 0777, 0, 0, "", "", 0, T, "s", 0, 0, null), null);
        }));
        assertThat(SYS.lstat(dir.resolve("h")).isSymlink()).isTrue();
    }

    @Test
    void replacingASymlinkDoesNotWriteThroughIt() throws IOException {
        apply(tar(w -> {
            w.add(TarEntry.symlink("l", "../canary/file", T), null);
            file(w, "l", "replaced", 0644);
            w.add(TarEntry.symlink("m", "../outside/secret", T), null);
            w.add(TarEntry.device("m", TarEntry.Type.FIFO, 0644, 0, 0, T), null);
        }));
        assertThat(Files.readString(dir.resolve("l"))).isEqualTo("replaced");
        assertThat(SYS.lstat(dir.resolve("m")).type()).isEqualTo(Sys.S_IFIFO);
    }

    @Test
    void directoryReplacedBySymlinkAfterItsChildren() throws IOException {
        // a/b's mtime is applied at the end; by then "a" is a symlink to ../outside: must not touch outside/b.
        apply(tar(w -> {
            w.add(TarEntry.dir("a", 0755, T), null);
            w.add(TarEntry.dir("a/b", 0700, T), null);
            w.add(TarEntry.symlink("a", "../outside", T), null);
        }));
        assertThat(SYS.lstat(dir.resolve("a")).isSymlink()).isTrue();
    }

    @Test
    void garbageTruncatedAndBadChecksum() throws IOException {
        byte[] garbage = new byte[4096];
        new java.util.Random(42).nextBytes(garbage);
        refused(garbage, "invalid tar");
        byte[] good = tar(w -> {
            w.addBytes("a", "x".repeat(3000).getBytes(), T); // no PAX header: T has no nanos
            w.addBytes("b", "y".getBytes(), T);
        });
        refused(Arrays.copyOf(good, 1800), "truncated");
        refused(Arrays.copyOf(good, 700), "truncated");
        byte[] bad = good.clone();
        bad[512 * 7] ^= 1; // header of "b"
        refused(bad, "invalid tar header: checksum mismatch");
    }
}
