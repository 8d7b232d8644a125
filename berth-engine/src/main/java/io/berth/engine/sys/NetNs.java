package io.berth.engine.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Network namespaces bound to files, without forking. Namespaces belong to threads, so every call
 * that enters or makes one runs on a fresh platform thread that ends with the call: no thread whose
 * namespace changed ever runs other work. Netlink sockets keep the namespace they were opened in,
 * so {@link #openNetlink} hands back a socket any thread can use.
 */
@SuppressWarnings("restricted")
public final class NetNs {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final long MS_BIND = 4096;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    private static final int LOOPBACK_INDEX = 1; // lo is always 1 in a new namespace

    private static final Downcall UNSHARE = Downcall.errno("unshare", JAVA_INT, JAVA_INT);
    private static final Downcall SETNS = Downcall.errno("setns", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall MOUNT = Downcall.errno("mount", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    private static final Downcall OPEN = Downcall.errno("open", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final Downcall CLOSE = Downcall.errno("close", JAVA_INT, JAVA_INT);

    private NetNs() {}

    /**
     * Makes a new network namespace, binds it onto {@code file} (which must exist, e.g. an empty
     * file) and brings its {@code lo} up.
     */
    public static void create(Path file) throws IOException {
        onFreshThread(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment st = Netlink.state(a);
                if ((int) UNSHARE.handle().invokeExact(st, CLONE_NEWNET) != 0) throw Netlink.fail("unshare(CLONE_NEWNET)", Netlink.errno(st));
                MemorySegment src = a.allocateFrom("/proc/thread-self/ns/net", StandardCharsets.UTF_8);
                MemorySegment dst = a.allocateFrom(file.toString(), StandardCharsets.UTF_8);
                MemorySegment none = a.allocateFrom("none", StandardCharsets.UTF_8);
                int r = (int) MOUNT.handle().invokeExact(st, src, dst, none, MS_BIND, MemorySegment.NULL);
                if (r != 0) throw Netlink.fail("bind netns onto " + file, Netlink.errno(st));
            }
            try (Netlink nl = Netlink.open()) {
                nl.setLink(LOOPBACK_INDEX, true, null, -1);
            }
            return null;
        });
    }

    /** An rtnetlink socket inside the namespace bound at {@code file}. */
    public static Netlink openNetlink(Path file) throws IOException {
        return inside(file, Netlink::open);
    }

    /** A read-only descriptor of the namespace file (for {@link Netlink#addVeth}); close it with {@link #close}. */
    public static int open(Path file) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Netlink.state(a);
            int fd = (int) OPEN.handle().invokeExact(st, a.allocateFrom(file.toString(), StandardCharsets.UTF_8), O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) throw Netlink.fail("open " + file, Netlink.errno(st));
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Netlink.rethrow(t);
        }
    }

    public static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            int r = (int) CLOSE.handle().invokeExact(Netlink.state(a), fd);
        } catch (Throwable t) {
            throw Netlink.rethrow(t);
        }
    }

    /** Runs {@code task} inside the namespace bound at {@code file}, on a thread of its own. */
    public static <T> T inside(Path file, Callable<T> task) throws IOException {
        int fd = open(file);
        try {
            return onFreshThread(() -> {
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment st = Netlink.state(a);
                    if ((int) SETNS.handle().invokeExact(st, fd, CLONE_NEWNET) != 0) throw Netlink.fail("setns " + file, Netlink.errno(st));
                }
                return task.call();
            });
        } finally {
            close(fd);
        }
    }

    private interface Body<T> {
        T run() throws Throwable;
    }

    /** Runs on a new platform thread that dies afterwards (its namespace may have changed). */
    private static <T> T onFreshThread(Body<T> body) throws IOException {
        Object[] out = new Object[1];
        Throwable[] err = new Throwable[1];
        Thread t = Thread.ofPlatform().daemon().name("berth-netns").start(() -> {
            try {
                out[0] = body.run();
            } catch (Throwable e) {
                err[0] = e;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the thread finishes quickly; its result must not leak
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable e = err[0];
        if (e == null) {
            @SuppressWarnings("unchecked") T r = (T) out[0];
            return r;
        }
        if (e instanceof IOException io) throw io;
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error er) throw er;
        throw new IOException(e);
    }
}
