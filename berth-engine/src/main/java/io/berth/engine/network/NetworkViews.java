package io.berth.engine.network;

import io.berth.api.container.EndpointSettings;
import io.berth.api.container.NetworkSettings;
import io.berth.api.container.Port;
import io.berth.api.container.PortBinding;
import io.berth.api.network.NetworkResource;
import io.berth.engine.container.Container;
import io.berth.engine.container.ContainerLookup;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Renders networks and containers' networking as the API shows them. Reads only memory. */
final class NetworkViews {
    /** A running container attached to a network, with its endpoint there. */
    record Attached(Container container, Endpoint endpoint) {}

    private final NetworkStore store;
    private final ContainerLookup containers;

    NetworkViews(NetworkStore store, ContainerLookup containers) {
        this.store = store;
        this.containers = containers;
    }

    /** The running containers on a network (with an address, on a bridge). */
    List<Attached> attached(Network n) {
        List<Attached> out = new ArrayList<>();
        for (ContainerNet cn : store.attachments()) {
            for (Endpoint e : cn.endpoints()) {
                if (!e.networkId().equals(n.id())) continue;
                Container c = containers.get(cn.containerId()).orElse(null);
                if (c != null && c.isRunning() && (e.live() || !n.isBridge())) out.add(new Attached(c, e));
            }
        }
        return out;
    }

    /** The network resource; {@code Containers} only for inspect. */
    NetworkResource render(Network n, boolean withContainers) {
        List<NetworkResource.Pool> pools = new ArrayList<>();
        if (!n.subnet().isEmpty()) {
            pools.add(new NetworkResource.Pool(n.subnet(), Ipam.notEmpty(n.ipRange()) ? n.ipRange() : null, n.gateway(),
                    n.auxAddresses().isEmpty() ? null : new TreeMap<>(n.auxAddresses())));
        }
        if (n.ipv6() != null) {
            pools.add(new NetworkResource.Pool(n.ipv6().subnet(), n.ipv6().ipRange().isEmpty() ? null : n.ipv6().ipRange(),
                    n.ipv6().gateway(), null));
        }
        Map<String, NetworkResource.Endpoint> cs = new LinkedHashMap<>();
        if (withContainers) {
            for (Attached a : attached(n)) {
                Endpoint e = a.endpoint();
                cs.put(a.container().id(), new NetworkResource.Endpoint(a.container().name(), e.endpointId(), e.mac(),
                        e.live() ? e.ip() + "/" + n.cidr().bits() : "", ip6Cidr(n, e)));
            }
        }
        return new NetworkResource(n.name(), n.id(), n.created(), "local", n.driver(), true, n.enableIpv6(),
                new NetworkResource.Ipam("default", n.builtin() ? null : n.ipamOptions(), pools), n.internal(), n.attachable(), false,
                new NetworkResource.ConfigFrom(""), false, cs, new TreeMap<>(n.options()), n.labels());
    }

    /** An endpoint's IPv6 address with the prefix length ("" when it has none). */
    private static String ip6Cidr(Network n, Endpoint e) {
        return e.ip6().isEmpty() || n.ipv6() == null ? "" : e.ip6() + "/" + n.ipv6().cidr().bits();
    }

    /** An endpoint's IPv6 prefix length (0 when it has no IPv6 address). */
    private static int ip6Bits(Network n, Endpoint e) {
        return e.ip6().isEmpty() || n == null || n.ipv6() == null ? 0 : n.ipv6().cidr().bits();
    }

    /** An endpoint's IPv6 gateway ("" when it has no IPv6 address). */
    private static String ip6Gateway(Network n, Endpoint e) {
        return e.ip6().isEmpty() || n == null || n.ipv6() == null ? "" : n.ipv6().gateway();
    }

    /** {@code NetworkSettings} of container inspect. */
    NetworkSettings settings(Container c) {
        ContainerNet cn = store.attachment(c.id());
        boolean sandbox = cn != null && !cn.netns().isEmpty();
        Endpoint primary = cn == null ? null : cn.primary();
        Network pn = primary == null ? null : store.get(primary.networkId());
        return new NetworkSettings("", sandbox ? sha256(c.id()) : "", sandbox ? cn.netns() : "",
                portsMap(c, cn == null ? List.of() : cn.ports()), false, "", 0, null, null,
                primary == null ? "" : primary.endpointId(), pn == null ? "" : pn.gateway(),
                primary == null ? "" : primary.ip6(), primary == null ? 0 : ip6Bits(pn, primary),
                primary == null ? "" : primary.ip(), pn == null ? 0 : pn.cidr().bits(), primary == null ? "" : ip6Gateway(pn, primary),
                primary == null ? "" : primary.mac(), endpoints(c, cn));
    }

    private Map<String, EndpointSettings> endpoints(Container c, ContainerNet cn) {
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        if (cn == null) return out;
        for (Endpoint e : cn.endpoints()) {
            Network n = store.get(e.networkId());
            if (n == null) continue;
            List<String> names = new ArrayList<>();
            if (!n.builtin()) {
                names.add(c.name());
                names.addAll(e.aliases());
                names.add(c.shortId());
            }
            EndpointSettings.IpamConfig ipamConfig = Ipam.notEmpty(e.requestedIp()) || !e.linkLocalIps().isEmpty()
                    || !e.requestedIp6().isEmpty()
                    ? new EndpointSettings.IpamConfig(Ipam.notEmpty(e.requestedIp()) ? e.requestedIp() : "",
                            e.requestedIp6().isEmpty() ? null : e.requestedIp6(), e.linkLocalIps().isEmpty() ? null : e.linkLocalIps())
                    : null;
            // before the container runs, the MAC address asked for (moby shows the endpoint's configuration)
            String mac = e.live() ? e.mac() : e.requestedMac();
            out.put(n.name(), new EndpointSettings(ipamConfig,
                    e.links().isEmpty() ? null : e.links(), e.aliases().isEmpty() ? null : e.aliases(), mac,
                    e.driverOpts().isEmpty() ? null : new TreeMap<>(e.driverOpts()), 0, n.id(), e.endpointId(),
                    e.live() ? n.gateway() : "", e.ip(), e.live() ? n.cidr().bits() : 0, ip6Gateway(n, e), e.ip6(), ip6Bits(n, e),
                    names.isEmpty() ? null : names));
        }
        return out;
    }

    /** {@code Ports} of inspect: every exposed port (null when not published) and the bindings of the published ones. */
    private static Map<String, List<PortBinding>> portsMap(Container c, List<PortMapping> ports) {
        Map<String, List<PortBinding>> out = new TreeMap<>();
        if (c.config().exposedPorts() != null) for (String k : c.config().exposedPorts().keySet()) out.put(k.contains("/") ? k : k + "/tcp", null);
        for (PortMapping p : ports) {
            List<PortBinding> l = out.get(p.key());
            if (l == null) {
                l = new ArrayList<>();
                out.put(p.key(), l);
            }
            l.add(new PortBinding(p.hostIp(), Integer.toString(p.hostPort())));
        }
        return out;
    }

    /** {@code Ports} of the ps list: the published ports, then the exposed ones not published. */
    List<Port> ports(Container c) {
        ContainerNet cn = store.attachment(c.id());
        List<Port> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PortMapping p : cn == null ? List.<PortMapping>of() : cn.ports()) {
            out.add(new Port(p.hostIp(), p.containerPort(), p.hostPort(), p.proto()));
            seen.add(p.key());
        }
        if (c.config().exposedPorts() != null) {
            for (String k : c.config().exposedPorts().keySet()) {
                PortSpecs.PortKey pk = PortSpecs.parse(k);
                if (seen.contains(pk.key())) continue;
                out.add(Port.exposed(pk.number(), pk.proto()));
            }
        }
        return out;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
