package io.berth.engine.network;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of the bridge driver: each bridge network's Linux bridge, and Berth's firewall
 * chains ({@link Firewall}) rewritten from the records (networks and published ports). Both appear
 * with the first network or container that needs them and go at a stop that leaves no container attached.
 */
final class Bridges {
    private static final Logger LOG = LoggerFactory.getLogger(Bridges.class);

    private final NetworkStore store;
    private final Plumbing plumbing;
    private final Firewall firewall;

    Bridges(NetworkStore store, Plumbing plumbing, Firewall firewall) {
        this.store = store;
        this.plumbing = plumbing;
        this.firewall = firewall;
    }

    /** Makes the network's bridge and Berth's chains if they are missing. */
    void ensureUp(Network n) throws IOException {
        if (!Plumbing.linkExists(n.bridge())) {
            String gateway6 = n.hasIpv6() ? n.ipv6().gateway() + "/" + n.ipv6().cidr().bits() : null;
            plumbing.ensureBridge(n.bridge(), n.gateway() + "/" + n.cidr().bits(), gateway6, n.mtu());
        }
        if (!firewall.installed()) {
            firewall.install();
            applyRules();
        }
    }

    void delete(String bridge) throws IOException { plumbing.deleteBridge(bridge); }

    /** Rewrites Berth's chains from the networks and every container's published ports. */
    void applyRules() {
        try {
            firewall.apply(store.networks(), store.ports(), store::bridgeOf);
        } catch (IOException e) {
            LOG.error("cannot write Berth's firewall rules: {}", e.getMessage());
        }
    }

    /** Removes Berth's chains and every bridge (they are made again at the next start). */
    void removeAll() throws IOException {
        firewall.uninstall();
        for (Network n : store.networks()) if (n.isBridge()) plumbing.deleteBridge(n.bridge());
    }
}
