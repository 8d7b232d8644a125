package io.berth.engine.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** {@link Sys} through java.lang.foreign on Linux x86_64 (glibc symbol names). */
@SuppressWarnings("restricted") // native access is this class's purpose; surefire and berthd enable it
final class LinuxSys implements Sys {
    static final LinuxSys INSTANCE = new LinuxSys();

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int ENOENT = 2;
    private static final int ENODATA = 61;
    private static final int ERANGE = 34;
    private static final int STAT_SIZE = 144;

    private final MemoryLayout stateLayout = Linker.Option.captureStateLayout();
    private final VarHandle errnoHandle = stateLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final Downcall mknodat = Downcall.errno("mknodat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
    private final Downcall lchown = Downcall.errno("lchown", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private final Downcall fchmodat = Downcall.errno("fchmodat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private final Downcall lsetxattr = Downcall.errno("lsetxattr", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    private final Downcall lgetxattr = Downcall.errno("lgetxattr", JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    private final Downcall llistxattr = Downcall.errno("llistxattr", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    private final Downcall utimensat = Downcall.errno("utimensat", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private final Downcall mount = Downcall.errno("mount", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    private final Downcall umount2 = Downcall.errno("umount2", JAVA_INT, ADDRESS, JAVA_INT);
    private final Downcall fstatat = Downcall.errno("fstatat", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private final Downcall strerror = Downcall.plain("strerror", ADDRESS, JAVA_INT);

    private LinuxSys() {}

    private static MemorySegment str(Arena a, Path p) {
        return a.allocateFrom(p.toString(), StandardCharsets.UTF_8);
    }

    private static MemorySegment str(Arena a, String s) {
        return s == null ? MemorySegment.NULL : a.allocateFrom(s, StandardCharsets.UTF_8);
    }

    private int errno(MemorySegment state) {
        return (int) errnoHandle.get(state, 0L);
    }

    private String describe(int errno) {
        try {
            MemorySegment s = (MemorySegment) strerror.handle().invokeExact(errno);
            return s.reinterpret(4096).getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private IOException fail(String call, Object path, int errno) {
        String msg = call + " " + path + ": " + describe(errno);
        if (errno == ENOENT) {
            return new NoEntry(String.valueOf(path), msg);
        }
        return new IOException(msg);
    }

    /** ENOENT as the JDK's exception type, with Berth's message format. */
    private static final class NoEntry extends NoSuchFileException {
        private static final long serialVersionUID = 1L;
        private final String message;

        NoEntry(String file, String message) {
            super(file);
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** glibc's makedev. */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL, mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    @Override
    public void mknod(Path path, int fileType, int perm, int major, int minor) throws IOException {
        if (fileType != S_IFCHR && fileType != S_IFBLK && fileType != S_IFIFO) {
            throw new IllegalArgumentException("mknod: unsupported file type 0" + Integer.toOctalString(fileType));
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            int r = (int) mknodat.handle().invokeExact(st, AT_FDCWD, str(a, path), fileType | (perm & 07777), makedev(major, minor));
            if (r != 0) throw fail("mknod", path, errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void lchown(Path path, int uid, int gid) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            int r = (int) lchown.handle().invokeExact(st, str(a, path), uid, gid);
            if (r != 0) throw fail("lchown", path, errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void chmod(Path path, int mode) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            int r = (int) fchmodat.handle().invokeExact(st, AT_FDCWD, str(a, path), mode & 07777, 0);
            if (r != 0) throw fail("chmod", path, errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            MemorySegment v = a.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            int r = (int) lsetxattr.handle().invokeExact(st, str(a, path), str(a, name), v, (long) value.length, 0);
            if (r != 0) throw fail("lsetxattr " + name, path, errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public byte[] lgetxattr(Path path, String name) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            MemorySegment p = str(a, path), n = str(a, name);
            for (int attempt = 0; ; attempt++) {
                long size = (long) lgetxattr.handle().invokeExact(st, p, n, MemorySegment.NULL, 0L);
                if (size < 0) {
                    int e = errno(st);
                    if (e == ENODATA) return null;
                    throw fail("lgetxattr " + name, path, e);
                }
                MemorySegment buf = a.allocate(Math.max(1, size));
                long got = (long) lgetxattr.handle().invokeExact(st, p, n, buf, Math.max(1, size));
                if (got < 0) {
                    int e = errno(st);
                    if (e == ENODATA) return null;
                    if (e == ERANGE && attempt < 5) continue; // grew meanwhile
                    throw fail("lgetxattr " + name, path, e);
                }
                return buf.asSlice(0, got).toArray(ValueLayout.JAVA_BYTE);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public List<String> llistxattr(Path path) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            MemorySegment p = str(a, path);
            for (int attempt = 0; ; attempt++) {
                long size = (long) llistxattr.handle().invokeExact(st, p, MemorySegment.NULL, 0L);
                if (size < 0) throw fail("llistxattr", path, errno(st));
                if (size == 0) return List.of();
                MemorySegment buf = a.allocate(size);
                long got = (long) llistxattr.handle().invokeExact(st, p, buf, size);
                if (got < 0) {
                    int e = errno(st);
                    if (e == ERANGE && attempt < 5) continue;
                    throw fail("llistxattr", path, e);
                }
                byte[] bytes = buf.asSlice(0, got).toArray(ValueLayout.JAVA_BYTE);
                List<String> names = new ArrayList<>();
                int start = 0;
                for (int i = 0; i < bytes.length; i++) {
                    if (bytes[i] == 0) {
                        if (i > start) names.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                        start = i + 1;
                    }
                }
                return List.copyOf(names);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void lutimes(Path path, Instant atime, Instant mtime) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            MemorySegment ts = a.allocate(32, 8);
            ts.set(JAVA_LONG, 0, atime.getEpochSecond());
            ts.set(JAVA_LONG, 8, atime.getNano());
            ts.set(JAVA_LONG, 16, mtime.getEpochSecond());
            ts.set(JAVA_LONG, 24, mtime.getNano());
            int r = (int) utimensat.handle().invokeExact(st, AT_FDCWD, str(a, path), ts, AT_SYMLINK_NOFOLLOW);
            if (r != 0) throw fail("utimensat", path, errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void mount(String source, Path target, String fsType, long flags, String data) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            int r = (int) mount.handle().invokeExact(st, str(a, source), str(a, target), str(a, fsType), flags, str(a, data));
            if (r != 0) throw fail("mount " + fsType + " " + source + " on", target, errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void umount(Path target, int flags) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            int r = (int) umount2.handle().invokeExact(st, str(a, target), flags);
            if (r != 0) throw fail("umount", target, errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public LStat lstat(Path path) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            MemorySegment buf = a.allocate(STAT_SIZE, 8);
            int r = (int) fstatat.handle().invokeExact(st, AT_FDCWD, str(a, path), buf, AT_SYMLINK_NOFOLLOW);
            if (r != 0) throw fail("lstat", path, errno(st));
            // x86_64 struct stat
            long dev = buf.get(JAVA_LONG, 0);
            long ino = buf.get(JAVA_LONG, 8);
            long nlink = buf.get(JAVA_LONG, 16);
            int mode = buf.get(JAVA_INT, 24);
            int uid = buf.get(JAVA_INT, 28);
            int gid = buf.get(JAVA_INT, 32);
            long rdev = buf.get(JAVA_LONG, 40);
            long size = buf.get(JAVA_LONG, 48);
            long mtimeSec = buf.get(JAVA_LONG, 88);
            long mtimeNsec = buf.get(JAVA_LONG, 96);
            return new LStat(mode, uid, gid, ino, dev, (int) nlink, size, major(rdev), minor(rdev), mtimeSec, (int) mtimeNsec);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
