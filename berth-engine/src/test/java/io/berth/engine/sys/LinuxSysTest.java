package io.berth.engine.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs as root on Linux x86_64. */
class LinuxSysTest {
    private final Sys sys = Sys.linux();
    @TempDir Path tmp;

    @Test
    void singleton() {
        assertThat(Sys.linux()).isSameAs(sys);
    }

    @Test
    void mknodCharBlockFifo() throws IOException {
        Path c = tmp.resolve("c"), b = tmp.resolve("b"), f = tmp.resolve("f");
        sys.mknod(c, Sys.S_IFCHR, 0600, 0, 0);
        sys.mknod(b, Sys.S_IFBLK, 0640, 7, 300);
        sys.mknod(f, Sys.S_IFIFO, 0644, 0, 0);
        Sys.LStat sc = sys.lstat(c);
        assertThat(sc.isCharDevice()).isTrue();
        assertThat(sc.rdevMajor()).isZero();
        assertThat(sc.rdevMinor()).isZero();
        Sys.LStat sb = sys.lstat(b);
        assertThat(sb.type()).isEqualTo(Sys.S_IFBLK);
        assertThat(sb.rdevMajor()).isEqualTo(7);
        assertThat(sb.rdevMinor()).isEqualTo(300);
        assertThat(sys.lstat(f).type()).isEqualTo(Sys.S_IFIFO);
    }

    @Test
    void errorsCarryPathAndStrerror() {
        Path c = tmp.resolve("missing/c");
        assertThatThrownBy(() -> sys.mknod(c, Sys.S_IFCHR, 0600, 0, 0))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessage("mknod " + c + ": No such file or directory");
        assertThatThrownBy(() -> sys.lstat(c)).isInstanceOf(IOException.class).hasMessageContaining("lstat " + c);
        Path e = tmp.resolve("e");
        assertThatThrownBy(() -> {
            Files.createFile(e);
            sys.mknod(e, Sys.S_IFIFO, 0600, 0, 0);
        }).isInstanceOf(IOException.class).hasMessage("mknod " + e + ": File exists");
    }

    @Test
    void lchownDoesNotFollow() throws IOException {
        Path f = Files.createFile(tmp.resolve("f"));
        Path l = Files.createSymbolicLink(tmp.resolve("l"), f);
        sys.lchown(l, 1234, 5678);
        assertThat(sys.lstat(l).uid()).isEqualTo(1234);
        assertThat(sys.lstat(l).gid()).isEqualTo(5678);
        assertThat(sys.lstat(f).uid()).isZero();
        sys.lchown(f, 42, 43);
        assertThat(sys.lstat(f).uid()).isEqualTo(42);
        assertThat(sys.lstat(f).gid()).isEqualTo(43);
    }

    @Test
    void chmodKeepsSpecialBits() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("d"));
        sys.chmod(d, 01777);
        assertThat(sys.lstat(d).perm()).isEqualTo(01777);
        assertThat(sys.lstat(d).isDir()).isTrue();
        Path f = Files.createFile(tmp.resolve("f"));
        sys.chmod(f, 06755);
        assertThat(sys.lstat(f).perm()).isEqualTo(06755);
        assertThat(sys.lstat(f).mode()).isEqualTo(Sys.S_IFREG | 06755);
    }

    @Test
    void xattrsAreBinaryExact() throws IOException {
        Path f = Files.createFile(tmp.resolve("f"));
        byte[] cap = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        sys.lsetxattr(f, "security.capability", cap);
        sys.lsetxattr(f, "trusted.overlay.opaque", "y".getBytes());
        sys.lsetxattr(f, "user.bin", new byte[] {(byte) 0xff, 0, (byte) 0x80});
        sys.lsetxattr(f, "user.empty", new byte[0]);
        assertThat(sys.lgetxattr(f, "security.capability")).isEqualTo(cap);
        assertThat(sys.lgetxattr(f, "trusted.overlay.opaque")).isEqualTo("y".getBytes());
        assertThat(sys.lgetxattr(f, "user.bin")).isEqualTo(new byte[] {(byte) 0xff, 0, (byte) 0x80});
        assertThat(sys.lgetxattr(f, "user.empty")).isEmpty();
        assertThat(sys.lgetxattr(f, "user.absent")).isNull();
        assertThat(sys.llistxattr(f)).contains("security.capability", "trusted.overlay.opaque", "user.bin", "user.empty");
        assertThat(sys.llistxattr(Files.createFile(tmp.resolve("g")))).doesNotContain("user.bin");
    }

    @Test
    void xattrOnSymlinkItself() throws IOException {
        Path f = Files.createFile(tmp.resolve("f"));
        Path l = Files.createSymbolicLink(tmp.resolve("l"), f);
        sys.lsetxattr(l, "trusted.x", new byte[] {9});
        assertThat(sys.lgetxattr(l, "trusted.x")).containsExactly(9);
        assertThat(sys.lgetxattr(f, "trusted.x")).isNull();
    }

    @Test
    void lutimesNanosecondsOnFilesAndSymlinks() throws IOException {
        Path f = Files.createFile(tmp.resolve("f"));
        Path l = Files.createSymbolicLink(tmp.resolve("l"), f);
        Instant t1 = Instant.ofEpochSecond(1_500_000_000L, 123_456_789);
        Instant t2 = Instant.ofEpochSecond(1_000_000_000L, 987_654_321);
        sys.lutimes(f, t1, t1);
        sys.lutimes(l, t2, t2);
        assertThat(sys.lstat(f).mtime()).isEqualTo(t1);
        assertThat(sys.lstat(l).mtime()).isEqualTo(t2);
    }

    @Test
    void lstatReportsInodeLinksSize() throws IOException {
        Path f = Files.write(tmp.resolve("f"), "hello".getBytes());
        Path h = Files.createLink(tmp.resolve("h"), f);
        Sys.LStat a = sys.lstat(f), b = sys.lstat(h);
        assertThat(a.ino()).isEqualTo(b.ino());
        assertThat(a.dev()).isEqualTo(b.dev());
        assertThat(a.nlink()).isEqualTo(2);
        assertThat(a.size()).isEqualTo(5);
        assertThat(a.isRegular()).isTrue();
        Sys.LStat s = sys.lstat(Files.createSymbolicLink(tmp.resolve("l"), Path.of("f")));
        assertThat(s.isSymlink()).isTrue();
        assertThat(s.size()).isEqualTo(1);
    }

    @Test
    void mountAndUmountTmpfs() throws IOException {
        Path m = Files.createDirectory(tmp.resolve("m"));
        sys.mount("berth-test", m, "tmpfs", Sys.MS_NOSUID | Sys.MS_NODEV, "size=1m,mode=0711");
        try {
            assertThat(sys.lstat(m).perm()).isEqualTo(0711);
            Files.writeString(m.resolve("x"), "x");
            assertThat(sys.lstat(m).dev()).isNotEqualTo(sys.lstat(tmp).dev());
        } finally {
            sys.umount(m, Sys.MNT_DETACH);
        }
        assertThat(Files.exists(m.resolve("x"))).isFalse();
        assertThatThrownBy(() -> sys.umount(m, 0)).isInstanceOf(IOException.class)
                .hasMessage("umount " + m + ": Invalid argument");
    }
}
