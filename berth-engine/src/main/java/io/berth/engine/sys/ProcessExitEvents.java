package io.berth.engine.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The kernel's process events connector ({@code NETLINK_CONNECTOR}, group {@code CN_IDX_PROC})
 * through java.lang.foreign: the exit of every process on the host as it happens, with its parent
 * and wait status, whoever reaps it. It lets berthd see a process exit that only another process
 * (its parent, e.g. the OCI runtime) can wait for. Needs CAP_NET_ADMIN and a kernel built with
 * {@code CONFIG_PROC_EVENTS}. One thread receives; Linux x86_64 (host byte order).
 */
@SuppressWarnings("restricted")
public final class ProcessExitEvents {
    /** A process (thread group) exit: its pid, its parent's pid and its wait status ({@code code << 8 | signal}). */
    public record Exit(int pid, int parentPid, int status) {
        /** The exit code as a shell (and Docker) reports it: the code, or 128 + the signal that killed it. */
        public int exitCode() {
            int signal = status & 0x7f;
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
        }
    }

    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int NETLINK_CONNECTOR = 11;
    private static final int CN_IDX_PROC = 1;
    private static final int CN_VAL_PROC = 1;
    private static final int PROC_CN_MCAST_LISTEN = 1;
    private static final short NLMSG_DONE = 3;
    private static final int PROC_EVENT_EXIT = 0x80000000;
    private static final int NLMSG_HDRLEN = 16;
    private static final int CN_MSG_LEN = 20;
    private static final int EVENT_HEADER = 16; // what, cpu, timestamp_ns
    private static final int RECV_SIZE = 8192;
    private static final int EINTR = 4;

    private static final MemoryLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Downcall SOCKET = Downcall.errno("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall BIND = Downcall.errno("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall SENDTO = Downcall.errno("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall RECV = Downcall.errno("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final Downcall CLOSE = Downcall.errno("close", JAVA_INT, JAVA_INT);

    private final int fd;
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment buf = arena.allocate(RECV_SIZE, 8);
    private final MemorySegment state = arena.allocate(STATE);

    private ProcessExitEvents(int fd) { this.fd = fd; }

    /** Subscribes to the host's process events. */
    public static ProcessExitEvents open() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            int fd = (int) SOCKET.handle().invokeExact(st, AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
            if (fd < 0) throw Netlink.fail("socket(NETLINK_CONNECTOR)", errno(st));
            MemorySegment addr = a.allocate(12, 4); // sockaddr_nl {AF_NETLINK, pad, pid 0: the kernel's choice, groups}
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
            addr.set(JAVA_INT, 8, CN_IDX_PROC);
            if ((int) BIND.handle().invokeExact(st, fd, addr, 12) < 0) {
                int err = errno(st);
                int r = (int) CLOSE.handle().invokeExact(st, fd);
                throw Netlink.fail("bind(CN_IDX_PROC)", err);
            }
            byte[] request = listenRequest(filters(System.getProperty("os.version", "")));
            MemorySegment msg = a.allocate(request.length, 4);
            msg.copyFrom(MemorySegment.ofArray(request));
            MemorySegment kernel = a.allocate(12, 4);
            kernel.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
            if ((long) SENDTO.handle().invokeExact(st, fd, msg, msg.byteSize(), 0, kernel, 12) < 0) {
                int err = errno(st);
                int r = (int) CLOSE.handle().invokeExact(st, fd);
                throw Netlink.fail("subscribing to process events", err);
            }
            return new ProcessExitEvents(fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Netlink.rethrow(t);
        }
    }

    /** Whether the kernel filters events by type for a listener (Linux 6.6 and later), so that berthd wakes for exits only. */
    static boolean filters(String kernelVersion) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(kernelVersion);
        if (!m.find()) return false;
        int major = Integer.parseInt(m.group(1));
        return major > 6 || (major == 6 && Integer.parseInt(m.group(2)) >= 6);
    }

    /** nlmsghdr + cn_msg {CN_IDX_PROC, CN_VAL_PROC} + PROC_CN_MCAST_LISTEN, and with a filter the event type (struct proc_input). */
    static byte[] listenRequest(boolean exitsOnly) {
        int payload = exitsOnly ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate(NLMSG_HDRLEN + CN_MSG_LEN + payload).order(ByteOrder.nativeOrder());
        b.putInt(b.capacity()).putShort(NLMSG_DONE).putShort((short) 0).putInt(0).putInt(0);
        b.putInt(CN_IDX_PROC).putInt(CN_VAL_PROC).putInt(0).putInt(0).putShort((short) payload).putShort((short) 0);
        b.putInt(PROC_CN_MCAST_LISTEN);
        if (exitsOnly) b.putInt(PROC_EVENT_EXIT);
        return b.array();
    }

    /** Blocks for the next datagram and returns the process exits in it (none for other events). */
    public List<Exit> receive() throws IOException {
        try {
            long n;
            do {
                n = (long) RECV.handle().invokeExact(state, fd, buf, (long) RECV_SIZE, 0);
            } while (n < 0 && errno(state) == EINTR);
            if (n < 0) throw Netlink.fail("receiving process events", errno(state));
            return parse(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Netlink.rethrow(t);
        }
    }

    /** The exits of whole processes (a thread's own exit is not one) in a datagram of netlink messages. */
    static List<Exit> parse(byte[] data) {
        List<Exit> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        int at = 0;
        while (at + NLMSG_HDRLEN + CN_MSG_LEN + EVENT_HEADER + 24 <= data.length) {
            int len = b.getInt(at);
            if (len < NLMSG_HDRLEN) break;
            int ev = at + NLMSG_HDRLEN + CN_MSG_LEN;
            if (b.getInt(at + NLMSG_HDRLEN) == CN_IDX_PROC && b.getInt(ev) == PROC_EVENT_EXIT && ev + EVENT_HEADER + 24 <= at + len) {
                int d = ev + EVENT_HEADER;
                int pid = b.getInt(d);
                int tgid = b.getInt(d + 4);
                if (pid == tgid) out.add(new Exit(pid, b.getInt(d + 20), b.getInt(d + 8)));
            }
            at += (len + 3) & ~3;
        }
        return out;
    }

    private static int errno(MemorySegment st) { return (int) ERRNO.get(st, 0L); }
}
