package io.berth.engine.network;

import io.berth.engine.container.Container;
import io.berth.engine.container.ContainerLookup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded DNS of user-defined networks: one {@link DnsServer} on each such network's gateway,
 * answering with the addresses of the running containers whose name, short ID or alias is asked.
 */
final class NetworkDns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkDns.class);

    private final NetworkStore store;
    private final ContainerLookup containers;
    private final Map<String, DnsServer> servers = new HashMap<>();

    NetworkDns(NetworkStore store, ContainerLookup containers) {
        this.store = store;
        this.containers = containers;
    }

    /** Starts the network's server, if it is a user-defined bridge and has none yet. */
    synchronized void start(Network n) {
        if (n.builtin() || !n.isBridge() || servers.containsKey(n.id())) return;
        try {
            servers.put(n.id(), DnsServer.start(n.gateway(), name -> resolve(n.id(), name)));
        } catch (IOException e) {
            LOG.warn("cannot start the DNS server of network {} on {}: {}", n.name(), n.gateway(), e.getMessage());
        }
    }

    synchronized void stop(String networkId) {
        DnsServer d = servers.remove(networkId);
        if (d != null) d.close();
    }

    /** The addresses of the running containers on a network whose name, short ID or alias is {@code name}. */
    List<String> resolve(String networkId, String name) {
        List<String> out = new ArrayList<>();
        for (ContainerNet cn : store.attachments()) {
            for (Endpoint e : cn.endpoints()) {
                if (!e.networkId().equals(networkId) || !e.live()) continue;
                Container c = containers.get(cn.containerId()).orElse(null);
                if (c == null) continue;
                if (name.equalsIgnoreCase(c.name()) || name.equalsIgnoreCase(c.shortId())
                        || e.aliases().stream().anyMatch(name::equalsIgnoreCase)) {
                    out.add(e.ip());
                }
            }
        }
        return out;
    }

    @Override public synchronized void close() {
        for (DnsServer d : servers.values()) d.close();
        servers.clear();
    }
}
