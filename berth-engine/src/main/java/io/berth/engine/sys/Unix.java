package io.berth.engine.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Process and file-descriptor calls the JDK does not offer, for the runtime driver: spawning a
 * detached monitor with extra inherited pipes ({@code posix_spawn} with {@code POSIX_SPAWN_SETSID}),
 * reaping it, raw pipes, {@code SOCK_SEQPACKET} unix sockets, a listening {@code SOCK_STREAM} unix socket that
 * receives a descriptor ({@code SCM_RIGHTS}: a runtime's console socket) and non-blocking FIFO writes. Linux
 * x86_64, glibc ≥ 2.34. Failures are {@link IOException}s {@code "<call> <what>: <strerror>"}.
 */
public final class Unix {
    private static final Unix INSTANCE = new Unix();

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    private static final int O_WRONLY = 01;
    private static final int O_RDWR = 02;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** CMSG_SPACE(sizeof(int)): a 16-byte header and one descriptor, padded to 8 bytes. */
    private static final long CMSG_SPACE_ONE_FD = 24;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int EINTR = 4;

    private final MemoryLayout stateLayout = Linker.Option.captureStateLayout();
    private final VarHandle errnoHandle = stateLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final int O_PATH = 010000000;
    private static final int O_DIRECTORY = 0200000;

    private final Downcall pipe2 = Downcall.errno("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
    private final Downcall close = Downcall.errno("close", JAVA_INT, JAVA_INT);
    private final Downcall read = Downcall.errno("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private final Downcall write = Downcall.errno("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private final Downcall open = Downcall.errno("open", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private final Downcall socket = Downcall.errno("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private final Downcall connect = Downcall.errno("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private final Downcall shutdown = Downcall.errno("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private final Downcall bind = Downcall.errno("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private final Downcall listen = Downcall.errno("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private final Downcall accept4 = Downcall.errno("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private final Downcall recvmsg = Downcall.errno("recvmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private final Downcall kill = Downcall.errno("kill", JAVA_INT, JAVA_INT, JAVA_INT);
    private final Downcall waitpid = Downcall.errno("waitpid", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private final Downcall faInit = Downcall.plain("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
    private final Downcall faDestroy = Downcall.plain("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
    private final Downcall faDup2 = Downcall.plain("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private final Downcall faOpen = Downcall.plain("posix_spawn_file_actions_addopen", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private final Downcall faCloseFrom = Downcall.plain("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, ADDRESS, JAVA_INT);
    private final Downcall attrInit = Downcall.plain("posix_spawnattr_init", JAVA_INT, ADDRESS);
    private final Downcall attrDestroy = Downcall.plain("posix_spawnattr_destroy", JAVA_INT, ADDRESS);
    private final Downcall attrSetFlags = Downcall.plain("posix_spawnattr_setflags", JAVA_INT, ADDRESS, JAVA_SHORT);
    private final Downcall attrSetSigMask = Downcall.plain("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
    private final Downcall attrSetSigDefault = Downcall.plain("posix_spawnattr_setsigdefault", JAVA_INT, ADDRESS, ADDRESS);
    private final Downcall sigemptyset = Downcall.plain("sigemptyset", JAVA_INT, ADDRESS);
    private final Downcall sigfillset = Downcall.plain("sigfillset", JAVA_INT, ADDRESS);
    private final Downcall spawn = Downcall.errno("posix_spawn", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private final Downcall strerror = Downcall.plain("strerror", ADDRESS, JAVA_INT);

    private Unix() {}

    public static Unix get() {
        return INSTANCE;
    }

    private int errno(MemorySegment state) {
        return (int) errnoHandle.get(state, 0L);
    }

    private IOException fail(String call, Object what, int errno) {
        String desc;
        try {
            MemorySegment s = (MemorySegment) strerror.handle().invokeExact(errno);
            desc = s.reinterpret(4096).getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            desc = "errno " + errno;
        }
        return new IOException(call + " " + what + ": " + desc);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** A pipe, both ends close-on-exec: {@code [read, write]}. */
    public int[] pipe() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            int r = (int) pipe2.handle().invokeExact(st, fds, O_CLOEXEC);
            if (r != 0) throw fail("pipe2", "", errno(st));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Closes a descriptor; errors are ignored (the descriptor is gone either way). */
    public void close(int fd) {
        if (fd < 0) return;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            int r = (int) close.handle().invokeExact(st, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2) into {@code buf[off, off+len)}; 0 at end of file; retries on EINTR. Blocks the calling thread. */
    public int read(int fd, byte[] buf, int off, int len) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            MemorySegment b = a.allocate(Math.max(1, len));
            for (;;) {
                long n = (long) read.handle().invokeExact(st, fd, b, (long) len);
                if (n < 0) {
                    int e = errno(st);
                    if (e == EINTR) continue;
                    throw fail("read", "fd " + fd, e);
                }
                MemorySegment.copy(b, JAVA_BYTE, 0, buf, off, (int) n);
                return (int) n;
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** write(2) of all of {@code buf[off, off+len)} (one call for a packet socket if it fits). */
    public void write(int fd, byte[] buf, int off, int len) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            MemorySegment b = a.allocate(Math.max(1, len));
            MemorySegment.copy(buf, off, b, JAVA_BYTE, 0, len);
            long done = 0;
            while (done < len) {
                long n = (long) write.handle().invokeExact(st, fd, b.asSlice(done), (long) len - done);
                if (n < 0) {
                    int e = errno(st);
                    if (e == EINTR) continue;
                    throw fail("write", "fd " + fd, e);
                }
                done += n;
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Opens a FIFO for writing without blocking when it has no reader (then ENXIO fails the call),
     * and switches nothing else: writes of a few bytes to a FIFO never block in practice.
     */
    public int openFifoForWrite(Path fifo) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            int fd = (int) open.handle().invokeExact(st, a.allocateFrom(fifo.toString(), StandardCharsets.UTF_8),
                    O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
            if (fd < 0) throw fail("open", fifo, errno(st));
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A connected {@code AF_UNIX}/{@code SOCK_SEQPACKET} socket (close-on-exec). */
    public int connectSeqPacket(Path path) throws IOException {
        return viaShortName(path, "connect", name -> socketDoing(SOCK_SEQPACKET, (fd, a, st) -> {
            int r = (int) connect.handle().invokeExact(st, fd, sockaddr(a, name), 2 + name.length + 1);
            if (r != 0) throw fail("connect", path, errno(st));
        }));
    }

    /**
     * A {@code AF_UNIX}/{@code SOCK_STREAM} socket (close-on-exec) bound to {@code path}, which must not exist, and
     * listening for one connection. {@link #shutdown} with {@link #SHUT_RD} ends an {@link #accept} blocked on it.
     */
    public int listenStream(Path path) throws IOException {
        return viaShortName(path, "bind", name -> socketDoing(SOCK_STREAM, (fd, a, st) -> {
            if ((int) bind.handle().invokeExact(st, fd, sockaddr(a, name), 2 + name.length + 1) != 0) throw fail("bind", path, errno(st));
            if ((int) listen.handle().invokeExact(st, fd, 1) != 0) throw fail("listen", path, errno(st));
        }));
    }

    /** What is done to a new socket: {@code st} holds the errno of each call. */
    private interface SocketSetUp {
        void apply(int fd, Arena a, MemorySegment st) throws Throwable;
    }

    /** A new {@code AF_UNIX} socket of {@code type} after {@code setUp}; closed again if that fails. */
    private int socketDoing(int type, SocketSetUp setUp) throws IOException {
        int fd = socket(type);
        try (Arena a = Arena.ofConfined()) {
            setUp.apply(fd, a, a.allocate(stateLayout));
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            close(fd);
            throw e;
        } catch (Throwable t) {
            close(fd);
            throw rethrow(t);
        }
    }

    /**
     * accept4(2): the next connection on a listening socket (close-on-exec); blocks the calling thread. A pending
     * connection is still returned after {@link #shutdown}; with none, that fails the call (EINVAL).
     */
    public int accept(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            for (;;) {
                int r = (int) accept4.handle().invokeExact(st, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
                if (r >= 0) return r;
                int e = errno(st);
                if (e != EINTR) throw fail("accept", "fd " + fd, e);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * recvmsg(2) of one message carrying a descriptor ({@code SCM_RIGHTS}), as a runtime sends a pty master to its
     * console socket: returns that descriptor (close-on-exec), or -1 when the peer closed the connection without
     * sending one. The message's few data bytes (the runtime's own) are dropped. Blocks the calling thread.
     */
    public int receiveFd(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            MemorySegment data = a.allocate(256);
            MemorySegment iov = a.allocate(16, 8);
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, data.byteSize());
            MemorySegment control = a.allocate(CMSG_SPACE_ONE_FD, 8);
            MemorySegment msg = a.allocate(56, 8); // struct msghdr, x86_64
            msg.set(ADDRESS, 16, iov);
            msg.set(JAVA_LONG, 24, 1L);
            msg.set(ADDRESS, 32, control);
            for (;;) {
                msg.set(JAVA_LONG, 40, control.byteSize()); // the call overwrites it with the length received
                long n = (long) recvmsg.handle().invokeExact(st, fd, msg, MSG_CMSG_CLOEXEC);
                if (n < 0) {
                    int e = errno(st);
                    if (e == EINTR) continue;
                    throw fail("recvmsg", "fd " + fd, e);
                }
                // struct cmsghdr: size_t cmsg_len, int cmsg_level, int cmsg_type, then the descriptors
                long controlLen = msg.get(JAVA_LONG, 40);
                if (controlLen >= 16 + 4 && control.get(JAVA_INT, 8) == SOL_SOCKET && control.get(JAVA_INT, 12) == SCM_RIGHTS) {
                    return control.get(JAVA_INT, 16);
                }
                if (n == 0) return -1;
                // data without a descriptor: the descriptor may come with the next message
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A call on a socket path; {@code name} is the path's bytes or a shorter name of it. */
    @FunctionalInterface
    private interface SunPathCall {
        int apply(byte[] name) throws IOException;
    }

    /**
     * Calls {@code call} with the path as it is when it fits {@code sun_path} (107 bytes and a NUL), else through
     * {@code /proc/self/fd/<dir>/<name>} with the directory opened {@code O_PATH} for the call, as conmon binds it.
     */
    private int viaShortName(Path path, String what, SunPathCall call) throws IOException {
        byte[] full = path.toString().getBytes(StandardCharsets.UTF_8);
        if (full.length < 108) return call.apply(full);
        int dir;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            dir = (int) open.handle().invokeExact(st, a.allocateFrom(path.getParent().toString(), StandardCharsets.UTF_8),
                    O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
            if (dir < 0) throw fail("open", path.getParent(), errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
        try {
            byte[] viaFd = Path.of("/proc/self/fd/" + dir).resolve(path.getFileName()).toString().getBytes(StandardCharsets.UTF_8);
            if (viaFd.length >= 108) throw new IOException(what + " " + path + ": socket name longer than 107 bytes");
            return call.apply(viaFd);
        } finally {
            close(dir);
        }
    }

    private int socket(int type) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            int fd = (int) socket.handle().invokeExact(st, AF_UNIX, type | SOCK_CLOEXEC, 0);
            if (fd < 0) throw fail("socket", "AF_UNIX", errno(st));
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A {@code struct sockaddr_un} of {@code name} (shorter than 108 bytes), NUL-terminated. */
    private static MemorySegment sockaddr(Arena a, byte[] name) {
        MemorySegment addr = a.allocate(110, 2);
        addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(name, 0, addr, JAVA_BYTE, 2, name.length);
        return addr;
    }

    /** shutdown(2) with {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}. */
    public void shutdown(int fd, int how) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            int r = (int) shutdown.handle().invokeExact(st, fd, how);
            if (r != 0) throw fail("shutdown", "fd " + fd, errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** kill(2); returns false if the process does not exist (ESRCH). */
    public boolean kill(int pid, int signal) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            int r = (int) kill.handle().invokeExact(st, pid, signal);
            if (r == 0) return true;
            int e = errno(st);
            if (e == 3) return false;
            throw fail("kill", pid, e);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Blocks until the child {@code pid} ends and returns its raw wait status. */
    public int waitpid(int pid) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            MemorySegment status = a.allocate(JAVA_INT);
            for (;;) {
                int r = (int) waitpid.handle().invokeExact(st, pid, status, 0);
                if (r == pid) return status.get(JAVA_INT, 0);
                int e = errno(st);
                if (r < 0 && e == EINTR) continue;
                throw fail("waitpid", pid, e);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Starts {@code argv[0]} in a new session ({@code setsid}) with default signal dispositions
     * and an empty signal mask, stdin/stdout/stderr on {@code /dev/null}, the given descriptors
     * duplicated to the given child descriptor numbers ({@code childFd → parentFd}, child numbers
     * ≥ 3), and every other descriptor closed. Returns the child's pid; the caller must reap it.
     */
    public int spawnDetached(List<String> argv, Map<String, String> env, Map<Integer, Integer> fds) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(stateLayout);
            MemorySegment fa = a.allocate(256, 16);
            MemorySegment attr = a.allocate(512, 16);
            MemorySegment sigs = a.allocate(128, 8);
            MemorySegment devNull = a.allocateFrom("/dev/null", StandardCharsets.UTF_8);
            check((int) faInit.handle().invokeExact(fa), "posix_spawn_file_actions_init");
            check((int) attrInit.handle().invokeExact(attr), "posix_spawnattr_init");
            try {
                check((int) faOpen.handle().invokeExact(fa, 0, devNull, 0, 0), "addopen");
                check((int) faOpen.handle().invokeExact(fa, 1, devNull, O_RDWR, 0), "addopen");
                check((int) faOpen.handle().invokeExact(fa, 2, devNull, O_RDWR, 0), "addopen");
                int max = 2;
                for (var e : fds.entrySet()) {
                    check((int) faDup2.handle().invokeExact(fa, (int) e.getValue(), (int) e.getKey()), "adddup2");
                    max = Math.max(max, e.getKey());
                }
                check((int) faCloseFrom.handle().invokeExact(fa, max + 1), "addclosefrom_np");
                int ignored = (int) sigemptyset.handle().invokeExact(sigs);
                check((int) attrSetSigMask.handle().invokeExact(attr, sigs), "setsigmask");
                ignored = (int) sigfillset.handle().invokeExact(sigs);
                check((int) attrSetSigDefault.handle().invokeExact(attr, sigs), "setsigdefault");
                check((int) attrSetFlags.handle().invokeExact(attr, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)),
                        "setflags");
                MemorySegment argvSeg = a.allocate(ADDRESS, argv.size() + 1);
                for (int i = 0; i < argv.size(); i++) {
                    argvSeg.setAtIndex(ADDRESS, i, a.allocateFrom(argv.get(i), StandardCharsets.UTF_8));
                }
                argvSeg.setAtIndex(ADDRESS, argv.size(), MemorySegment.NULL);
                MemorySegment envSeg = a.allocate(ADDRESS, env.size() + 1);
                int i = 0;
                for (var e : env.entrySet()) {
                    envSeg.setAtIndex(ADDRESS, i++, a.allocateFrom(e.getKey() + "=" + e.getValue(), StandardCharsets.UTF_8));
                }
                envSeg.setAtIndex(ADDRESS, env.size(), MemorySegment.NULL);
                MemorySegment pid = a.allocate(JAVA_INT);
                int r = (int) spawn.handle().invokeExact(st, pid, a.allocateFrom(argv.get(0), StandardCharsets.UTF_8), fa, attr, argvSeg, envSeg);
                if (r != 0) throw fail("posix_spawn", argv.get(0), r);
                return pid.get(JAVA_INT, 0);
            } finally {
                int ignored = (int) faDestroy.handle().invokeExact(fa);
                ignored = (int) attrDestroy.handle().invokeExact(attr);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private void check(int r, String call) throws IOException {
        if (r != 0) throw fail(call, "", r);
    }
}
