package io.berth.engine.network;

import io.berth.api.container.EndpointSettings;
import io.berth.api.container.HostConfig;
import io.berth.api.container.NetworkSettings;
import io.berth.api.container.NetworkingConfig;
import io.berth.api.container.Port;
import io.berth.api.errors.BerthException;
import io.berth.engine.container.Container;
import io.berth.engine.container.EtcFiles;
import io.berth.engine.container.NetworkHooks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hooks the container lifecycle calls: records a new container's attachments, sets its network
 * up before the runtime creates it (endpoints, published ports, rules, the embedded DNS, its hosts and
 * resolv.conf through {@link EtcFiles}, its links' environment), tears it down at exit and forgets it at removal (what a
 * user can see at once, the kernel work after the removal answered: {@link PendingTeardowns}).
 */
final class ContainerNetworking implements NetworkHooks {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerNetworking.class);
    private static final Runnable NOTHING_LEFT = () -> { };

    private final NetworkStore store;
    private final Attachments attachments;
    private final PortPublisher ports;
    private final Bridges bridges;
    private final EtcFiles etc;
    private final NetworkEvents events;
    private final NetworkViews views;
    private final ContainerDns dns;
    private final Links links;
    private final PendingTeardowns teardowns;

    ContainerNetworking(NetworkStore store, Attachments attachments, PortPublisher ports, Bridges bridges, EtcFiles etc,
                        NetworkEvents events, NetworkViews views, ContainerDns dns, Links links, PendingTeardowns teardowns) {
        this.store = store;
        this.attachments = attachments;
        this.ports = ports;
        this.bridges = bridges;
        this.etc = etc;
        this.events = events;
        this.views = views;
        this.dns = dns;
        this.links = links;
        this.teardowns = teardowns;
    }

    static String mode(Container c) {
        String m = c.hostConfig().networkMode();
        return m == null || m.isEmpty() ? "default" : m;
    }

    @Override public void created(Container c, NetworkingConfig config) {
        synchronized (store) {
            String mode = mode(c);
            links.validate(c, mode);
            Map<String, EndpointSettings> asked = config == null || config.endpointsConfig() == null ? Map.of() : config.endpointsConfig();
            List<Endpoint> eps = new ArrayList<>();
            if (!mode.startsWith("container:")) {
                String primary = mode.equals("default") ? "bridge" : mode;
                Network n = store.require(primary);
                EndpointSettings s = asked.get(primary);
                if (s == null) s = asked.get(mode); // the CLI keys the default network's settings by "default"
                if (s == null) s = asked.get(n.name());
                if (s == null) s = asked.get(n.id());
                String legacyMac = c.config().macAddress(); // Config.MacAddress, as clients before API 1.44 send it
                if (legacyMac != null && !legacyMac.isEmpty() && (s == null || s.macAddress() == null || s.macAddress().isEmpty())) {
                    s = s == null ? EndpointSettings.withMac(legacyMac) : s.withMacAddress(legacyMac);
                }
                if (n.isBridge() || s == null) eps.add(attachments.requested(n, s));
                for (var e : asked.entrySet()) {
                    Network other = store.require(e.getKey());
                    if (other.id().equals(n.id())) continue;
                    if (!n.isBridge() || !other.isBridge()) {
                        throw new BerthException.InvalidArgument("container cannot be connected to network endpoints: "
                                + String.join(", ", asked.keySet()));
                    }
                    eps.add(attachments.requested(other, e.getValue()));
                }
            }
            HostConfig hc = c.hostConfig();
            if (hc.portBindings() != null) {
                for (String k : hc.portBindings().keySet()) PortSpecs.parse(k);
            }
            if (!c.durable()) store.notDurable(c.id());
            store.store(new ContainerNet(c.id(), mode, eps, "", List.of()));
        }
    }

    @Override public Path setUp(Container c) {
        synchronized (store) {
            ContainerNet cn = store.attachment(c.id());
            if (cn == null) {
                created(c, null);
                cn = store.attachment(c.id());
            }
            if (cn.endpoints().stream().noneMatch(e -> store.isBridge(e.networkId()))) return null;
            try {
                cn = attachments.up(c, cn);
                List<PortMapping> published = ports.publish(c, cn);
                cn = cn.withPorts(published);
                store.store(cn);
                writeEtc(c, cn, dns.sync(c, cn));
                if (!published.isEmpty()) bridges.applyRules();
            } catch (IOException | RuntimeException e) {
                tearDown(c.id());
                if (e instanceof BerthException be) throw be;
                throw new BerthException.SystemError("cannot set up the network of " + c.id() + ": " + e.getMessage(), e);
            }
            for (Endpoint e : cn.endpoints()) {
                Network n = store.get(e.networkId());
                if (n != null && e.live()) events.connected(n, c.id());
            }
            return Path.of(cn.netns());
        }
    }

    /**
     * The container's hosts and resolv.conf: its primary addresses (IPv4, and IPv6 when it has one), and the embedded DNS
     * when it serves the container.
     */
    private void writeEtc(Container c, ContainerNet cn, boolean embeddedDns) throws IOException {
        Endpoint primary = cn.primary();
        if (primary == null) return;
        List<String> entries = new ArrayList<>();
        if (!primary.ip6().isEmpty()) entries.add(primary.ip6() + "\t" + c.config().hostname()); // after the IPv4 line, as Docker writes it
        entries.addAll(links.hostEntries(c));
        etc.networkUp(c, primary.ip(), embeddedDns, entries);
    }

    /**
     * After a running container was connected or disconnected: starts or stops its embedded DNS and
     * rewrites its resolv.conf when that changed (as Docker does when an endpoint joins a user network).
     */
    void endpointsChanged(Container c) {
        if (c == null || !c.isRunning()) return;
        boolean before = dns.serving(c.id());
        try {
            boolean now = dns.sync(c, store.attachment(c.id()));
            if (now != before) etc.resolverChanged(c, now);
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot set up the embedded DNS of " + c.name() + ": " + e.getMessage(), e);
        }
    }

    /** After a daemon restart: the embedded DNS of an adopted running container (its netns file is still bound). */
    void adopted(Container c, ContainerNet cn) {
        try {
            dns.sync(c, cn);
        } catch (IOException e) {
            LOG.warn("cannot restart the embedded DNS of {}: {}", c.shortId(), e.getMessage());
        }
    }

    /** Takes the container's network down; its record stays, without the endpoints' live parts. */
    @Override public void tearDown(String id) {
        synchronized (store) {
            ContainerNet cn = store.attachment(id);
            dns.stop(id);
            ports.release(id);
            if (cn == null) return;
            List<Endpoint> eps = attachments.down(cn);
            store.store(cn.withEndpoints(eps).withNetns("").withPorts(List.of()));
            if (!cn.ports().isEmpty()) bridges.applyRules();
        }
    }

    /**
     * At once: what a user can see of the container's network goes (its embedded DNS, its published ports and their
     * rules, the {@code disconnect} events). Its record stays, in memory, with its endpoints live, so that their addresses
     * stay taken until the returned slow part, deleting its veths and netns, has run. A record on disk without a
     * container is finished at the next start ({@link PendingTeardowns#recover}).
     */
    @Override public Runnable removed(String id) {
        synchronized (store) {
            ContainerNet cn = store.attachment(id);
            dns.stop(id);
            ports.release(id);
            if (cn == null) return NOTHING_LEFT;
            if (cn.netns().isEmpty() && cn.endpoints().stream().noneMatch(Endpoint::live)) {
                forget(id);
                return NOTHING_LEFT;
            }
            attachments.disconnected(cn);
            ContainerNet left = cn.withPorts(List.of());
            store.put(left);
            if (!cn.ports().isEmpty()) bridges.applyRules();
            teardowns.add(left);
            return () -> teardowns.finish(id);
        }
    }

    /** Drops a container's record (memory and disk). */
    private void forget(String id) {
        try {
            store.forget(id);
        } catch (IOException e) {
            LOG.warn("cannot remove the network record of {}: {}", id, e.getMessage());
        }
    }

    @Override public List<String> linkEnv(Container c) { return links.env(c); }

    @Override public NetworkSettings settings(Container c) { return views.settings(c); }

    @Override public List<Port> ports(Container c) { return views.ports(c); }
}
