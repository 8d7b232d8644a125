package io.berth.engine.network;

import io.berth.engine.sys.NetNs;
import io.berth.engine.sys.Netlink;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bridge driver's kernel plumbing: per-container network namespaces bound to a file, veth
 * pairs, addresses, routes and bridges through rtnetlink inside berthd ({@link Netlink},
 * {@link NetNs}), without forking (the {@code ip}/{@code nsenter} way cost about five processes per container).
 */
final class Plumbing {
    private static final int MNT_DETACH = 2;
    private final Sys sys;
    private final Path netnsDir;

    Plumbing(Sys sys, Path netnsDir) {
        this.sys = sys;
        this.netnsDir = netnsDir;
    }

    Path netnsDir() { return netnsDir; }

    static boolean linkExists(String name) { return Files.exists(Path.of("/sys/class/net", name)); }

    /** Creates the bridge if missing, with the gateway address (and the IPv6 one, {@code gateway6Cidr}, null for none) and MTU, and brings it up. */
    void ensureBridge(String name, String gatewayCidr, String gateway6Cidr, int mtu) throws IOException {
        try (Netlink nl = Netlink.open()) {
            int idx = nl.linkIndex(name);
            if (idx == 0) {
                nl.addBridge(name, mtu);
                idx = nl.linkIndex(name);
            }
            if (gatewayCidr != null) {
                int slash = gatewayCidr.indexOf('/');
                try {
                    nl.addAddress4(idx, ipv4(gatewayCidr.substring(0, slash)), Integer.parseInt(gatewayCidr.substring(slash + 1)));
                } catch (Netlink.NetlinkException e) {
                    if (e.errno != Netlink.EEXIST) throw e;
                }
            }
            if (gateway6Cidr != null) {
                enableIpv6(Path.of("/proc/sys/net/ipv6/conf", name));
                int slash = gateway6Cidr.indexOf('/');
                try {
                    nl.addAddress6(idx, ipv6(gateway6Cidr.substring(0, slash)), Integer.parseInt(gateway6Cidr.substring(slash + 1)));
                } catch (Netlink.NetlinkException e) {
                    if (e.errno != Netlink.EEXIST) throw e;
                }
            }
            nl.setLink(idx, true, null, -1);
        }
    }

    /** Clears {@code disable_ipv6} in a {@code /proc/sys/net/ipv6/conf/<dev>} directory (of the caller's netns) when it is set. */
    private static void enableIpv6(Path confDir) throws IOException {
        Path f = confDir.resolve("disable_ipv6");
        if (Files.exists(f) && !Files.readString(f).strip().equals("0")) Files.writeString(f, "0");
    }

    void deleteBridge(String name) throws IOException {
        if (!linkExists(name)) return;
        try (Netlink nl = Netlink.open()) {
            nl.deleteLink(name);
        }
    }

    /** A new network namespace bound to {@code <netnsDir>/<id>}. */
    Path createNetns(String id) throws IOException {
        Files.createDirectories(netnsDir);
        Path f = netnsDir.resolve(id);
        if (Files.exists(f)) deleteNetns(id);
        Files.createFile(f);
        try {
            NetNs.create(f);
        } catch (IOException e) {
            deleteNetns(id);
            throw e;
        }
        return f;
    }

    void deleteNetns(String id) throws IOException {
        Path f = netnsDir.resolve(id);
        if (!Files.exists(f)) return;
        try {
            sys.umount(f, MNT_DETACH);
        } catch (IOException e) {
            // not mounted: a half-made file from a crash
        }
        Files.deleteIfExists(f);
    }

    /** An endpoint's IPv6 side: its address {@code ipCidr} and the default route's {@code gateway} (null for no route). */
    record V6(String ipCidr, String gateway) {}

    /**
     * Adds a veth pair: the host end on the bridge, the other end as {@code ifName} in the netns, addressed
     * ({@code ipCidr}, then each of {@code moreCidrs}; with {@code v6}, not null, IPv6 enabled in the netns and its address
     * without duplicate address detection) and routed.
     */
    void addVeth(Path netns, String bridge, int mtu, String hostVeth, String ifName, String mac, String ipCidr,
            List<String> moreCidrs, String gateway, V6 v6) throws IOException {
        addVethNetlink(netns, bridge, mtu, hostVeth, ifName, mac, ipCidr, moreCidrs, gateway, v6);
    }

    private static void addVethNetlink(Path netns, String bridge, int mtu, String hostVeth, String ifName, String mac,
            String ipCidr, List<String> moreCidrs, String gateway, V6 v6) throws IOException {
        int nsFd = NetNs.open(netns);
        try (Netlink host = Netlink.open()) {
            int master = host.linkIndex(bridge);
            if (master == 0) throw new IOException("no bridge " + bridge);
            host.addVeth(hostVeth, mtu, master, true, ifName, mac(mac), nsFd);
        } finally {
            NetNs.close(nsFd);
        }
        try (Netlink in = NetNs.openNetlink(netns)) {
            int idx = in.linkIndex(ifName);
            if (idx == 0) throw new IOException("veth peer " + ifName + " missing in " + netns);
            addAddress(in, idx, ipCidr);
            for (String more : moreCidrs) addAddress(in, idx, more);
            if (v6 != null) {
                NetNs.inside(netns, () -> {
                    enableIpv6(Path.of("/proc/sys/net/ipv6/conf/all"));
                    enableIpv6(Path.of("/proc/sys/net/ipv6/conf/default"));
                    enableIpv6(Path.of("/proc/sys/net/ipv6/conf", ifName));
                    return null;
                });
                int slash = v6.ipCidr().indexOf('/');
                in.addAddress6(idx, ipv6(v6.ipCidr().substring(0, slash)), Integer.parseInt(v6.ipCidr().substring(slash + 1)));
            }
            in.setLink(idx, true, null, -1);
            if (gateway != null) in.addDefaultRoute4(idx, ipv4(gateway));
            if (v6 != null && v6.gateway() != null) in.addDefaultRoute6(idx, ipv6(v6.gateway()));
        } catch (IOException | RuntimeException e) {
            try (Netlink host = Netlink.open()) {
                host.deleteLink(hostVeth);
            } catch (IOException ex) {
                e.addSuppressed(ex);
            }
            throw e;
        }
    }

    private static void addAddress(Netlink nl, int idx, String cidr) throws IOException {
        int slash = cidr.indexOf('/');
        nl.addAddress4(idx, ipv4(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    }

    static byte[] ipv4(String s) {
        int v = Cidr.ip(s);
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] ipv6(String s) { return Cidr6.bytes(Cidr6.ip(s)); }

    static byte[] mac(String s) {
        String[] parts = s.split(":");
        if (parts.length != 6) throw new IllegalArgumentException("bad MAC address " + s);
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) b[i] = (byte) Integer.parseInt(parts[i], 16);
        return b;
    }

    /**
     * Takes a container's network out of the kernel: the host veth of each live endpoint (its peer goes with it), then
     * the netns. Each step runs even when one before failed; the first failure is thrown, the others suppressed in it.
     */
    void unplug(ContainerNet cn) throws IOException {
        IOException failed = null;
        for (Endpoint e : cn.endpoints()) {
            if (!e.live()) continue;
            try {
                deleteLink(e.hostVeth());
            } catch (IOException ex) {
                failed = first(failed, new IOException("cannot delete " + e.hostVeth() + ": " + ex.getMessage(), ex));
            }
        }
        try {
            deleteNetns(cn.containerId());
        } catch (IOException ex) {
            failed = first(failed, new IOException("cannot remove the netns of " + cn.containerId() + ": " + ex.getMessage(), ex));
        }
        if (failed != null) throw failed;
    }

    private static IOException first(IOException before, IOException now) {
        if (before == null) return now;
        before.addSuppressed(now);
        return before;
    }

    /** Removes the host end (the peer goes with it). */
    void deleteLink(String hostVeth) throws IOException {
        if (hostVeth == null || hostVeth.isEmpty()) return;
        try (Netlink nl = Netlink.open()) {
            nl.deleteLink(hostVeth);
        }
    }

    /** Whether the netns has a default route already (for a second attachment). */
    static boolean hasDefaultRoute(Path netns) throws IOException {
        try (Netlink in = NetNs.openNetlink(netns)) {
            return in.hasDefaultRoute4();
        }
    }
}
