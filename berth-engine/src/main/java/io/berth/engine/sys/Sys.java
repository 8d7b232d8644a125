package io.berth.engine.sys;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The kernel calls Berth needs that the JDK does not offer (device nodes, full mode bits, numeric
 * ownership without following links, binary xattrs in every namespace, nanosecond times on links,
 * mounts). Every call acts on the path itself and never follows a final symlink, except
 * {@link #chmod}, which must not be used on symlinks. Failures are {@link IOException}s whose
 * message is {@code "<call> <path>: <strerror(errno)>"}.
 */
public interface Sys {
    /** File type bits for {@link #mknod}. */
    int S_IFMT = 0170000;
    int S_IFSOCK = 0140000;
    int S_IFLNK = 0120000;
    int S_IFREG = 0100000;
    int S_IFBLK = 0060000;
    int S_IFDIR = 0040000;
    int S_IFCHR = 0020000;
    int S_IFIFO = 0010000;

    /** Mount flags. */
    long MS_RDONLY = 1L;
    long MS_NOSUID = 2L;
    long MS_NODEV = 4L;
    long MS_NOEXEC = 8L;
    long MS_REMOUNT = 32L;
    long MS_BIND = 4096L;
    long MS_REC = 16384L;
    long MS_PRIVATE = 1L << 18;
    long MS_SHARED = 1L << 20;

    /** umount2 flags. */
    int MNT_FORCE = 1;
    int MNT_DETACH = 2;

    /** The FFM implementation for Linux x86_64. */
    static Sys linux() {
        return LinuxSys.INSTANCE;
    }

    /** Creates a device node or FIFO; {@code fileType} is {@link #S_IFCHR}, {@link #S_IFBLK} or {@link #S_IFIFO}. */
    void mknod(Path path, int fileType, int perm, int major, int minor) throws IOException;

    /** Changes numeric ownership of the path itself (not a symlink's target). */
    void lchown(Path path, int uid, int gid) throws IOException;

    /** Sets all 07777 mode bits, including setuid, setgid and sticky. Follows symlinks: never call on one. */
    void chmod(Path path, int mode) throws IOException;

    /** Sets an extended attribute of any namespace on the path itself. */
    void lsetxattr(Path path, String name, byte[] value) throws IOException;

    /** The value of an extended attribute, or {@code null} if it is absent. */
    byte[] lgetxattr(Path path, String name) throws IOException;

    /** The names of the path's extended attributes (those the caller may see). */
    List<String> llistxattr(Path path) throws IOException;

    /** Sets access and modification times with nanosecond precision, on symlinks too. */
    void lutimes(Path path, Instant atime, Instant mtime) throws IOException;

    void mount(String source, Path target, String fsType, long flags, String data) throws IOException;

    /** umount2; {@code flags} e.g. {@link #MNT_DETACH}. */
    void umount(Path target, int flags) throws IOException;

    /** fstatat with AT_SYMLINK_NOFOLLOW. */
    LStat lstat(Path path) throws IOException;

    /** What lstat(2) tells about a path. {@code mode} holds the type bits and the permission bits. */
    record LStat(int mode, int uid, int gid, long ino, long dev, int nlink, long size,
                 int rdevMajor, int rdevMinor, long mtimeSec, int mtimeNsec) {
        public int type() { return mode & S_IFMT; }
        public int perm() { return mode & 07777; }
        public boolean isDir() { return type() == S_IFDIR; }
        public boolean isSymlink() { return type() == S_IFLNK; }
        public boolean isRegular() { return type() == S_IFREG; }
        public boolean isCharDevice() { return type() == S_IFCHR; }
        public Instant mtime() { return Instant.ofEpochSecond(mtimeSec, mtimeNsec); }
    }
}
