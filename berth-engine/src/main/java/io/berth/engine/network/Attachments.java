package io.berth.engine.network;

import io.berth.api.container.EndpointSettings;
import io.berth.api.errors.BerthException;
import io.berth.engine.container.Container;
import io.berth.engine.container.LegacyLink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers' attachments to networks: the endpoints asked for (validated against the network),
 * and their plumbing through {@link Plumbing}: a netns per container, an address from {@link Ipam}
 * and a veth pair per live endpoint (an address removed containers still hold is taken once their teardown is
 * finished, see {@link PendingTeardowns}); connect and disconnect of a created or running container.
 * Callers hold the store's monitor (and, for connect and disconnect, the container's lock).
 */
final class Attachments {
    private static final Logger LOG = LoggerFactory.getLogger(Attachments.class);

    private final NetworkStore store;
    private final Ipam ipam;
    private final Bridges bridges;
    private final Plumbing plumbing;
    private final NetworkEvents events;
    private final PendingTeardowns teardowns;

    Attachments(NetworkStore store, Ipam ipam, Bridges bridges, Plumbing plumbing, NetworkEvents events, PendingTeardowns teardowns) {
        this.store = store;
        this.ipam = ipam;
        this.bridges = bridges;
        this.plumbing = plumbing;
        this.events = events;
        this.teardowns = teardowns;
    }

    /** The endpoint asked for on {@code n} (aliases, links, --ip, --ip6, --mac-address, --link-local-ip, --driver-opt), refused as Docker refuses it. */
    Endpoint requested(Network n, EndpointSettings s) {
        List<String> aliases = s == null || s.aliases() == null ? List.of() : s.aliases();
        String ip = s == null || s.ipamConfig() == null ? null : s.ipamConfig().ipv4Address();
        String ip6 = s == null || s.ipamConfig() == null ? null : s.ipamConfig().ipv6Address();
        List<String> linkLocal = s == null || s.ipamConfig() == null || s.ipamConfig().linkLocalIps() == null
                ? List.of() : s.ipamConfig().linkLocalIps();
        for (String ll : linkLocal) {
            if (!ll.contains(":") && !Cidr.parse("169.254.0.0/16").contains(Cidr.ip(ll))) {
                throw new BerthException.InvalidArgument("invalid link-local IP address: " + ll);
            }
        }
        String mac = s == null ? null : s.macAddress();
        if (n.isDefaultBridge() && !aliases.isEmpty()) {
            throw new BerthException.InvalidArgument("network-scoped alias is supported only for containers in user defined networks");
        }
        if (Ipam.notEmpty(ip)) {
            if (n.isDefaultBridge()) {
                throw new BerthException.InvalidArgument("user specified IP address is supported on user defined networks only");
            }
            if (!n.cidr().contains(Cidr.ip(ip))) {
                throw new BerthException.InvalidArgument("no configured subnet or ip-range contain the IP address " + ip);
            }
        }
        if (Ipam.notEmpty(ip6)) checkIp6(n, ip6);
        List<String> links = s == null || s.links() == null ? List.of() : s.links();
        for (String l : links) LegacyLink.parse(l);
        return Endpoint.requested(n.id(), aliases, links, ip, mac, linkLocal, s == null ? null : s.driverOpts(), ip6);
    }

    /** Refuses a {@code --ip6} address as moby does (it is kept as given, as moby shows it). */
    private static void checkIp6(Network n, String ip6) {
        if (n.isDefaultBridge()) {
            throw new BerthException.InvalidArgument("user specified IP address is supported on user defined networks only");
        }
        if (n.ipv6() == null) {
            throw new BerthException.InvalidArgument(
                    "user specified IP address is supported only when connecting to networks with user configured subnets");
        }
        if (!Cidr6.isIp(ip6) || !n.ipv6().cidr().contains(Cidr6.ip(ip6))) {
            throw new BerthException.InvalidArgument("no configured subnet or ip-range contain the IP address " + ip6);
        }
    }

    /**
     * Brings every bridge endpoint of a container up in a new netns (eth0, eth1, … in order; the
     * default route through the first non-internal one). The record in memory follows each step,
     * so that a failure half-way tears down what was made.
     */
    ContainerNet up(Container c, ContainerNet cn) throws IOException {
        Path netns = plumbing.createNetns(c.id());
        cn = cn.withNetns(netns.toString());
        List<Endpoint> eps = new ArrayList<>();
        boolean route = true;
        int i = 0;
        for (Endpoint e : cn.endpoints()) {
            Network n = store.get(e.networkId());
            if (n == null || !n.isBridge()) {
                eps.add(e);
                continue;
            }
            Endpoint up = plumb(netns, n, e, "eth" + i++, route && !n.internal());
            if (!n.internal()) route = false;
            eps.add(up);
            cn = cn.withEndpoints(replace(cn.endpoints(), e, up)); // so a failure below tears this one down
            store.put(cn);
        }
        cn = cn.withEndpoints(eps);
        store.put(cn);
        return cn;
    }

    private static List<Endpoint> replace(List<Endpoint> list, Endpoint old, Endpoint now) {
        List<Endpoint> out = new ArrayList<>(list);
        out.set(out.indexOf(old), now);
        return out;
    }

    /**
     * Allocates an address and adds the veth pair; returns the live endpoint. An address that removed containers still
     * hold ({@link PendingTeardowns}) is taken once their teardown is finished.
     */
    private Endpoint plumb(Path netns, Network n, Endpoint e, String ifName, boolean defaultRoute) throws IOException {
        bridges.ensureUp(n);
        int ip = teardowns.allocating(n.id(), () -> ipam.allocate(n, e.requestedIp()));
        Cidr cidr = n.cidr();
        String mac = Ipam.notEmpty(e.requestedMac()) ? e.requestedMac() : Ipam.mac(ip);
        String epId = NetworkStore.newId();
        String veth = "veth" + epId.substring(0, 7);
        // IPv4 link-local addresses go on the interface as well, in 169.254.0.0/16 (IPv6 ones: no IPv6 here)
        List<String> linkLocal = e.linkLocalIps().stream().filter(a -> !a.contains(":")).map(a -> a + "/16").toList();
        String ip6 = n.hasIpv6() ? Cidr6.str(teardowns.allocating(n.id(), () -> ipam.allocate6(n, e.requestedIp6()))) : "";
        Plumbing.V6 v6 = ip6.isEmpty() ? null
                : new Plumbing.V6(ip6 + "/" + n.ipv6().cidr().bits(), defaultRoute ? n.ipv6().gateway() : null);
        plumbing.addVeth(netns, n.bridge(), n.mtu(), veth, ifName, mac, Cidr.str(ip) + "/" + cidr.bits(), linkLocal,
                defaultRoute ? n.gateway() : null, v6);
        return e.up(epId, Cidr.str(ip), mac, veth, ifName, ip6);
    }

    /** Deletes a live endpoint's veth pair (its address is free again once the record says it is down). */
    private void unplumb(Endpoint e) {
        if (!e.live()) return;
        try {
            plumbing.deleteLink(e.hostVeth());
        } catch (IOException ex) {
            LOG.warn("cannot delete {}: {}", e.hostVeth(), ex.getMessage());
        }
    }

    /** Takes every endpoint of a container down and deletes its netns; returns the endpoints as down. */
    List<Endpoint> down(ContainerNet cn) {
        disconnected(cn);
        try {
            plumbing.unplug(cn);
        } catch (IOException e) {
            LOG.warn("cannot take down the network of {}: {}", cn.containerId(), e.getMessage());
        }
        return cn.endpoints().stream().map(Endpoint::down).toList();
    }

    /** Publishes the {@code disconnect} of each live endpoint of a container whose network goes down. */
    void disconnected(ContainerNet cn) {
        for (Endpoint e : cn.endpoints()) {
            Network n = store.get(e.networkId());
            if (e.live() && n != null) events.disconnected(n, cn.containerId());
        }
    }

    /** Deletes the netns files no running container's record names (left by a crash). */
    void cleanNetns() {
        try (var ds = java.nio.file.Files.newDirectoryStream(plumbing.netnsDir())) {
            for (Path p : ds) {
                ContainerNet cn = store.attachment(p.getFileName().toString());
                if (cn == null || cn.netns().isEmpty()) plumbing.deleteNetns(p.getFileName().toString());
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no netns yet
        } catch (IOException e) {
            LOG.warn("cannot clean {}: {}", plumbing.netnsDir(), e.getMessage());
        }
    }

    /** {@code network connect}: records the endpoint, and plumbs it at once when the container runs. */
    void connect(Container c, Network n, EndpointSettings cfg, String mode) {
        if (mode.equals("host") || mode.equals("none") || mode.startsWith("container:") || !n.isBridge()) {
            throw new BerthException.Forbidden("container sharing network namespace with another container or host cannot be connected to any other network");
        }
        ContainerNet cn = store.attachment(c.id());
        if (cn == null) {
            cn = new ContainerNet(c.id(), mode, List.of(), "", List.of());
            store.put(cn);
        }
        if (cn.endpoints().stream().anyMatch(e -> e.networkId().equals(n.id()))) {
            throw new BerthException.Forbidden("endpoint with name " + c.name() + " already exists in network " + n.name());
        }
        Endpoint ep = requested(n, cfg);
        List<Endpoint> eps = new ArrayList<>(cn.endpoints());
        if (c.isRunning() && !cn.netns().isEmpty()) {
            Set<String> used = new HashSet<>();
            for (Endpoint e : eps) used.add(e.ifName());
            int i = 0;
            while (used.contains("eth" + i)) i++;
            try {
                ep = plumb(Path.of(cn.netns()), n, ep, "eth" + i, !Plumbing.hasDefaultRoute(Path.of(cn.netns())));
            } catch (IOException e) {
                throw new BerthException.SystemError("cannot connect " + c.name() + " to " + n.name() + ": " + e.getMessage(), e);
            }
            events.connected(n, c.id());
        }
        eps.add(ep);
        store.store(cn.withEndpoints(eps));
    }

    /** {@code network disconnect}: drops the endpoint, unplumbing it when live. */
    void disconnect(String containerId, Network n) {
        ContainerNet cn = store.attachment(containerId);
        Endpoint ep = cn == null ? null : cn.endpoints().stream().filter(e -> e.networkId().equals(n.id())).findFirst().orElse(null);
        if (ep == null) throw new BerthException.Forbidden("container " + containerId + " is not connected to network " + n.name());
        if (!n.isBridge()) throw new BerthException.Forbidden("container cannot be disconnected from host network or connected to host network");
        unplumb(ep);
        List<Endpoint> eps = new ArrayList<>(cn.endpoints());
        eps.remove(ep);
        store.store(cn.withEndpoints(eps));
        if (ep.live()) events.disconnected(n, containerId);
    }
}
