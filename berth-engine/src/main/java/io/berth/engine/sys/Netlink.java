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
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An rtnetlink ({@code AF_NETLINK}/{@code NETLINK_ROUTE}) socket through java.lang.foreign: links,
 * veth pairs, addresses and routes in the network namespace the socket was opened in (a socket
 * keeps its namespace; see {@link NetNs#openNetlink}). Every request asks for an ACK; a kernel
 * error becomes an {@link IOException} {@code "<what>: <strerror>"}. One socket serves one thread
 * at a time. Linux x86_64 (messages in host byte order, addresses in network order).
 */
@SuppressWarnings("restricted")
public final class Netlink implements AutoCloseable {
    public static final int ENODEV = 19;
    public static final int EEXIST = 17;

    private static final int AF_NETLINK = 16;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int AF_UNSPEC = 0;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int IFA_F_NODAD = 0x02;

    private static final short RTM_NEWLINK = 16;
    private static final short RTM_DELLINK = 17;
    private static final short RTM_GETLINK = 18;
    private static final short RTM_NEWADDR = 20;
    private static final short RTM_NEWROUTE = 24;
    private static final short RTM_GETROUTE = 26;
    private static final short NLMSG_ERROR = 2;
    private static final short NLMSG_DONE = 3;

    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_ACK = 0x4;
    private static final int NLM_F_DUMP = 0x300;
    private static final int NLM_F_EXCL = 0x200;
    private static final int NLM_F_CREATE = 0x400;

    private static final short IFLA_ADDRESS = 1;
    private static final short IFLA_IFNAME = 3;
    private static final short IFLA_MTU = 4;
    private static final short IFLA_MASTER = 10;
    private static final short IFLA_LINKINFO = 18;
    private static final short IFLA_NET_NS_FD = 28;
    private static final short IFLA_INFO_KIND = 1;
    private static final short IFLA_INFO_DATA = 2;
    private static final short VETH_INFO_PEER = 1;
    private static final short IFA_ADDRESS = 1;
    private static final short IFA_LOCAL = 2;
    private static final short RTA_DST = 1;
    private static final short RTA_OIF = 4;
    private static final short RTA_GATEWAY = 5;
    private static final short RTA_TABLE = 15;
    private static final int IFF_UP = 1;
    private static final int RT_TABLE_MAIN = 254;
    private static final int RTPROT_BOOT = 3;
    private static final int RT_SCOPE_UNIVERSE = 0;
    private static final int RTN_UNICAST = 1;
    private static final int NLMSG_HDRLEN = 16;
    private static final int RECV_SIZE = 32768;

    private static final MemoryLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Downcall SOCKET = Downcall.errno("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall SENDTO = Downcall.errno("sendto", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final Downcall RECV = Downcall.errno("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final Downcall CLOSE = Downcall.errno("close", JAVA_INT, JAVA_INT);
    private static final Downcall STRERROR = Downcall.plain("strerror", ADDRESS, JAVA_INT);
    private static final int EINTR = 4;

    private final int fd;
    private final Arena arena = Arena.ofAuto(); // shared, freed by the GC: closing a shared arena costs a handshake
    private final MemorySegment buf = arena.allocate(RECV_SIZE, 8);
    private final MemorySegment kernel = arena.allocate(12, 4); // sockaddr_nl {AF_NETLINK, 0, pid 0, groups 0}
    private final MemorySegment state = arena.allocate(STATE);
    private int seq = (int) (System.nanoTime() & 0x3fffffff);
    private boolean closed;

    private Netlink(int fd) {
        this.fd = fd;
        kernel.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
    }

    /** A socket in the calling thread's network namespace. */
    public static Netlink open() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            int fd = (int) SOCKET.handle().invokeExact(st, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
            if (fd < 0) throw fail("socket(AF_NETLINK)", errno(st));
            return new Netlink(fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- requests ----

    /**
     * Creates a veth pair: {@code host} here, with {@code master} (0 for none) and up if asked; its
     * peer {@code peer} with the MAC {@code peerMac} (null for random) in the namespace open as
     * {@code peerNetnsFd}. Both ends get {@code mtu}.
     */
    public void addVeth(String host, int mtu, int master, boolean up, String peer, byte[] peerMac, int peerNetnsFd)
            throws IOException {
        Msg m = new Msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
        m.ifinfo(AF_UNSPEC, 0, up ? IFF_UP : 0, up ? IFF_UP : 0);
        m.attr(IFLA_IFNAME, host);
        m.attr(IFLA_MTU, mtu);
        if (master > 0) m.attr(IFLA_MASTER, master);
        int li = m.begin(IFLA_LINKINFO);
        m.attr(IFLA_INFO_KIND, "veth");
        int data = m.begin(IFLA_INFO_DATA);
        int p = m.begin(VETH_INFO_PEER);
        m.ifinfo(AF_UNSPEC, 0, 0, 0);
        m.attr(IFLA_IFNAME, peer);
        m.attr(IFLA_MTU, mtu);
        if (peerMac != null) m.attr(IFLA_ADDRESS, peerMac);
        m.attr(IFLA_NET_NS_FD, peerNetnsFd);
        m.end(p);
        m.end(data);
        m.end(li);
        request(m, "add veth " + host + "/" + peer);
    }

    /** Sets a link's flags, MAC (null: unchanged) and master (-1: unchanged); up or down. */
    public void setLink(int index, boolean up, byte[] mac, int master) throws IOException {
        Msg m = new Msg(RTM_NEWLINK, 0);
        m.ifinfo(AF_UNSPEC, index, up ? IFF_UP : 0, IFF_UP);
        if (mac != null) m.attr(IFLA_ADDRESS, mac);
        if (master >= 0) m.attr(IFLA_MASTER, master);
        request(m, "set link " + index);
    }

    /** Creates a bridge {@code name} with the MTU (down; see {@link #setLink}). */
    public void addBridge(String name, int mtu) throws IOException {
        Msg m = new Msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
        m.ifinfo(AF_UNSPEC, 0, 0, 0);
        m.attr(IFLA_IFNAME, name);
        m.attr(IFLA_MTU, mtu);
        int li = m.begin(IFLA_LINKINFO);
        m.attr(IFLA_INFO_KIND, "bridge");
        m.end(li);
        request(m, "add bridge " + name);
    }

    /** Deletes a link by name (a veth's peer goes with it); false if there is none. */
    public boolean deleteLink(String name) throws IOException {
        Msg m = new Msg(RTM_DELLINK, 0);
        m.ifinfo(AF_UNSPEC, 0, 0, 0);
        m.attr(IFLA_IFNAME, name);
        try {
            request(m, "delete link " + name);
            return true;
        } catch (NetlinkException e) {
            if (e.errno == ENODEV) return false;
            throw e;
        }
    }

    /** The index of the link {@code name}, or 0 if there is none. */
    public int linkIndex(String name) throws IOException {
        Msg m = new Msg(RTM_GETLINK, 0);
        m.ifinfo(AF_UNSPEC, 0, 0, 0);
        m.attr(IFLA_IFNAME, name);
        int[] index = {0};
        try {
            exchange(m, "get link " + name, (type, msg) -> {
                if (type == RTM_NEWLINK) index[0] = msg.getInt(msg.position() + 4);
            });
        } catch (NetlinkException e) {
            if (e.errno == ENODEV) return 0;
            throw e;
        }
        return index[0];
    }

    /** Adds an IPv4 address {@code addr/prefix} to the link. */
    public void addAddress4(int index, byte[] addr, int prefix) throws IOException {
        Msg m = new Msg(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
        m.b.put((byte) AF_INET).put((byte) prefix).put((byte) 0).put((byte) RT_SCOPE_UNIVERSE).putInt(index);
        m.attr(IFA_LOCAL, addr);
        m.attr(IFA_ADDRESS, addr);
        request(m, "add address to link " + index);
    }

    /** Adds an IPv6 address {@code addr/prefix} (16 bytes) to the link, without duplicate address detection (usable at once). */
    public void addAddress6(int index, byte[] addr, int prefix) throws IOException {
        Msg m = new Msg(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
        m.b.put((byte) AF_INET6).put((byte) prefix).put((byte) IFA_F_NODAD).put((byte) RT_SCOPE_UNIVERSE).putInt(index);
        m.attr(IFA_LOCAL, addr);
        m.attr(IFA_ADDRESS, addr);
        request(m, "add address to link " + index);
    }

    /** Adds the IPv6 default route via {@code gateway} (16 bytes) on the link. */
    public void addDefaultRoute6(int index, byte[] gateway) throws IOException {
        addDefaultRoute(AF_INET6, index, gateway, "add IPv6 default route on link " + index);
    }

    /** Adds the IPv4 default route via {@code gateway} on the link. */
    public void addDefaultRoute4(int index, byte[] gateway) throws IOException {
        addDefaultRoute(AF_INET, index, gateway, "add default route via " + ipv4(gateway));
    }

    private void addDefaultRoute(int family, int index, byte[] gateway, String what) throws IOException {
        Msg m = new Msg(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
        m.rtmsg(family, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST);
        m.attr(RTA_GATEWAY, gateway);
        m.attr(RTA_OIF, index);
        request(m, what);
    }

    /** Whether the main table has an IPv4 default route. */
    public boolean hasDefaultRoute4() throws IOException {
        Msg m = new Msg(RTM_GETROUTE, NLM_F_DUMP);
        m.rtmsg(AF_INET, 0, 0, 0, 0, 0);
        boolean[] found = {false};
        exchange(m, "dump routes", (type, msg) -> {
            if (type != RTM_NEWROUTE) return;
            int p = msg.position();
            int dstLen = msg.get(p + 1) & 0xff;
            int table = msg.get(p + 4) & 0xff;
            int rtype = msg.get(p + 7) & 0xff;
            if (dstLen != 0 || rtype != RTN_UNICAST) return;
            int limit = msg.limit();
            for (int a = p + 12; a + 4 <= limit; ) {
                int len = msg.getShort(a) & 0xffff, t = msg.getShort(a + 2) & 0xffff;
                if (len < 4) break;
                if (t == RTA_TABLE && len >= 8) table = msg.getInt(a + 4);
                a += align(len);
            }
            if (table == RT_TABLE_MAIN) found[0] = true;
        });
        return found[0];
    }

    static String ipv4(byte[] a) {
        return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }

    // ---- messages ----

    /** A kernel error answer, with its errno. */
    public static final class NetlinkException extends IOException {
        private static final long serialVersionUID = 1L;
        public final int errno;

        NetlinkException(String message, int errno) {
            super(message);
            this.errno = errno;
        }
    }

    private interface Handler {
        void on(int type, ByteBuffer msg);
    }

    private static int align(int n) { return (n + 3) & ~3; }

    /** A request being built: nlmsghdr, fixed header, rtattrs (nested ones patched on {@link #end}). */
    private final class Msg {
        final ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());

        Msg(short type, int flags) {
            b.putInt(0).putShort(type).putShort((short) (flags | NLM_F_REQUEST | ((flags & NLM_F_DUMP) == NLM_F_DUMP ? 0 : NLM_F_ACK)))
                    .putInt(++seq).putInt(0);
        }

        void ifinfo(int family, int index, int flags, int change) {
            b.put((byte) family).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
        }

        void rtmsg(int family, int dstLen, int table, int protocol, int scope, int type) {
            b.put((byte) family).put((byte) dstLen).put((byte) 0).put((byte) 0)
                    .put((byte) table).put((byte) protocol).put((byte) scope).put((byte) type).putInt(0);
        }

        void attr(short type, byte[] v) {
            b.putShort((short) (4 + v.length)).putShort(type).put(v);
            pad();
        }

        void attr(short type, int v) {
            b.putShort((short) 8).putShort(type).putInt(v);
        }

        void attr(short type, String s) {
            byte[] v = s.getBytes(StandardCharsets.UTF_8);
            b.putShort((short) (5 + v.length)).putShort(type).put(v).put((byte) 0);
            pad();
        }

        int begin(short type) {
            int at = b.position();
            b.putShort((short) 0).putShort(type);
            return at;
        }

        void end(int at) {
            b.putShort(at, (short) (b.position() - at));
        }

        void pad() {
            while ((b.position() & 3) != 0) b.put((byte) 0);
        }

        int seq() { return b.getInt(8); }

        int finish() {
            b.putInt(0, b.position());
            return b.position();
        }
    }

    private void request(Msg m, String what) throws IOException {
        exchange(m, what, (t, msg) -> {});
    }

    /** Sends the message and reads answers until its ACK (or, for a dump, NLMSG_DONE). */
    private synchronized void exchange(Msg m, String what, Handler h) throws IOException {
        if (closed) throw new IOException("netlink socket closed");
        int len = m.finish();
        int mySeq = m.seq();
        MemorySegment.copy(m.b.array(), 0, buf, JAVA_BYTE, 0, len);
        try {
            long n;
            do {
                n = (long) SENDTO.handle().invokeExact(state, fd, buf, (long) len, 0, kernel, 12);
            } while (n < 0 && errno(state) == EINTR);
            if (n < 0) throw fail("netlink send (" + what + ")", errno(state));
            while (true) {
                long r = (long) RECV.handle().invokeExact(state, fd, buf, (long) RECV_SIZE, 0);
                if (r < 0) {
                    if (errno(state) == EINTR) continue;
                    throw fail("netlink recv (" + what + ")", errno(state));
                }
                ByteBuffer in = buf.asSlice(0, r).asByteBuffer().order(ByteOrder.nativeOrder());
                int off = 0;
                while (off + NLMSG_HDRLEN <= r) {
                    int mlen = in.getInt(off);
                    int type = in.getShort(off + 4) & 0xffff;
                    int s = in.getInt(off + 8);
                    if (mlen < NLMSG_HDRLEN || off + mlen > r) break;
                    if (s == mySeq) {
                        if (type == NLMSG_ERROR) {
                            int err = -in.getInt(off + NLMSG_HDRLEN);
                            if (err == 0) return;
                            throw new NetlinkException(what + ": " + strerror(err), err);
                        }
                        if (type == NLMSG_DONE) return;
                        ByteBuffer msg = in.duplicate().order(ByteOrder.nativeOrder());
                        msg.limit(off + mlen).position(off + NLMSG_HDRLEN);
                        h.on(type, msg);
                    }
                    off += align(mlen);
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            int r = (int) CLOSE.handle().invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- libc ----

    static int errno(MemorySegment st) {
        return (int) ERRNO.get(st, 0L);
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.handle().invokeExact(errno);
            return s.reinterpret(4096).getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static NetlinkException fail(String call, int errno) {
        return new NetlinkException(call + ": " + strerror(errno), errno);
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof java.lang.Error e) throw e;
        return new IllegalStateException(t);
    }

    static MemorySegment state(Arena a) { return a.allocate(STATE); }
}
