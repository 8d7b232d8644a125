package io.berth.engine.network;

import io.berth.engine.container.Container;
import io.berth.engine.container.ContainerLookup;
import io.berth.engine.container.LegacyLink;
import io.berth.engine.container.ResolvConf;
import io.berth.engine.sys.NetNs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's embedded DNS: every running container with an endpoint on a user-defined network has a
 * {@link DnsServer} on 127.0.0.11:53 (UDP and TCP) inside its own network namespace, and its
 * resolv.conf names that address. The sockets are made by a platform thread that enters the netns
 * and returns ({@link NetNs#inside}); they keep that namespace, so no iptables rule and no process
 * is needed. It answers the names of the containers on the networks the asking container is on
 * (name, short ID, network alias, each also as {@code name.network}) and its links (of its host config
 * and of each endpoint); the rest goes to
 * {@code --dns} or the host's name servers.
 */
final class ContainerDns implements AutoCloseable {
    static final String ADDRESS = ResolvConf.EMBEDDED_DNS;
    private static final Logger LOG = LoggerFactory.getLogger(ContainerDns.class);
    private static final List<String> DOCKER_FALLBACK = List.of("8.8.8.8", "8.8.4.4");

    private final NetworkStore store;
    private final ContainerLookup containers;
    private final Map<String, DnsServer> servers = new ConcurrentHashMap<>();

    ContainerDns(NetworkStore store, ContainerLookup containers) {
        this.store = store;
        this.containers = containers;
    }

    /** Whether a container's attachments call for the embedded DNS: a live endpoint on a user-defined network. */
    boolean wanted(ContainerNet cn) {
        if (cn == null || cn.netns().isEmpty()) return false;
        for (Endpoint e : cn.endpoints()) {
            Network n = store.get(e.networkId());
            if (e.live() && n != null && n.isBridge() && !n.builtin()) return true;
        }
        return false;
    }

    boolean serving(String containerId) { return servers.containsKey(containerId); }

    /** Starts or stops the container's resolver to match its attachments; returns whether it has one now. */
    boolean sync(Container c, ContainerNet cn) throws IOException {
        if (!wanted(cn)) {
            stop(c.id());
            return false;
        }
        if (servers.containsKey(c.id())) return true;
        Sockets s = bind(Path.of(cn.netns()));
        String id = c.id();
        DnsServer d = new DnsServer(s.udp(), s.tcp(), name -> resolve(id, name), upstreams(c)).start(c.shortId());
        DnsServer old = servers.put(id, d);
        if (old != null) old.close();
        LOG.debug("embedded DNS of {} on {}:53", c.shortId(), ADDRESS);
        return true;
    }

    void stop(String containerId) {
        DnsServer d = servers.remove(containerId);
        if (d != null) d.close();
    }

    private record Sockets(DatagramChannel udp, ServerSocketChannel tcp) {}

    /** UDP and TCP sockets on 127.0.0.11:53 inside the netns bound at {@code netns}. */
    private static Sockets bind(Path netns) throws IOException {
        return NetNs.inside(netns, () -> {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(ADDRESS), 53);
            DatagramChannel udp = DatagramChannel.open(StandardProtocolFamily.INET);
            ServerSocketChannel tcp = null;
            try {
                udp.bind(at);
                tcp = ServerSocketChannel.open(StandardProtocolFamily.INET);
                tcp.bind(at, 64);
                return new Sockets(udp, tcp);
            } catch (IOException | RuntimeException e) {
                udp.close();
                if (tcp != null) tcp.close();
                throw e;
            }
        });
    }

    /** Where names not ours go: {@code --dns}, else the host's name servers, else Docker's fallback. */
    static List<InetSocketAddress> upstreams(Container c) {
        List<String> dns = c.hostConfig().dns();
        List<InetSocketAddress> out = new ArrayList<>();
        if (dns != null && !dns.isEmpty()) {
            for (String s : dns) out.add(new InetSocketAddress(s, 53));
            return out;
        }
        out.addAll(DnsServer.nameServers(Path.of("/etc/resolv.conf")));
        if (out.isEmpty()) for (String s : DOCKER_FALLBACK) out.add(new InetSocketAddress(s, 53));
        return out;
    }

    /** The addresses {@code name} has for container {@code askerId}: on its user-defined networks, and its links. */
    List<String> resolve(String askerId, String name) {
        ContainerNet asker = store.attachment(askerId);
        Container self = containers.get(askerId).orElse(null);
        if (asker == null || self == null) return List.of();
        Set<String> out = new LinkedHashSet<>();
        for (Endpoint mine : asker.endpoints()) {
            Network n = store.get(mine.networkId());
            if (!mine.live() || n == null || n.builtin()) continue;
            String suffix = "." + n.name().toLowerCase(java.util.Locale.ROOT);
            String bare = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
            List<LegacyLink> links = new ArrayList<>(LegacyLink.all(self.hostConfig().links()));
            links.addAll(LegacyLink.all(mine.links()));
            for (LegacyLink l : links) {
                if (l.alias().equalsIgnoreCase(bare)) out.addAll(addresses(n.id(), l.name()));
            }
            out.addAll(addresses(n.id(), bare));
        }
        return List.copyOf(out);
    }

    /** The live addresses on a network of the containers whose name, short ID or alias there is {@code name}. */
    private List<String> addresses(String networkId, String name) {
        List<String> out = new ArrayList<>();
        for (ContainerNet cn : store.attachments()) {
            for (Endpoint e : cn.endpoints()) {
                if (!e.networkId().equals(networkId) || !e.live()) continue;
                Container c = containers.get(cn.containerId()).orElse(null);
                if (c == null) continue;
                if (name.equalsIgnoreCase(c.name()) || name.equalsIgnoreCase(c.shortId())
                        || e.aliases().stream().anyMatch(name::equalsIgnoreCase)) {
                    out.add(e.ip());
                    if (!e.ip6().isEmpty()) out.add(e.ip6());
                }
            }
        }
        return out;
    }

    @Override public void close() {
        for (String id : List.copyOf(servers.keySet())) stop(id);
    }
}
