package io.berth.engine.network;

import io.berth.api.Filters;
import io.berth.api.TimeFilters;
import io.berth.api.container.EndpointSettings;
import io.berth.api.errors.BerthException;
import io.berth.api.network.NetworkCreateRequest;
import io.berth.api.network.NetworkCreateResponse;
import io.berth.api.network.NetworkPruneReport;
import io.berth.api.network.NetworkResource;
import io.berth.engine.container.Container;
import io.berth.engine.container.ContainerLookup;
import io.berth.engine.container.EtcFiles;
import io.berth.engine.container.NetworkHooks;
import io.berth.engine.events.EventBus;
import io.berth.engine.service.NetworkService;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's networks over the bridge driver, assembled from parts with one job each: the records
 * ({@link NetworkStore}), addresses ({@link Ipam}), new records ({@link NetworkDefinitions}),
 * bridges and firewall rules ({@link Bridges}), attachments and their plumbing ({@link Attachments}),
 * published ports ({@link PortPublisher}), the embedded DNS ({@link NetworkDns}), the views
 * ({@link NetworkViews}) and the hooks the containers call ({@link #hooks()}). This class is the
 * {@link NetworkService} face and the daemon's start and stop.
 */
public final class NetworkManager implements NetworkService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkManager.class);
    private static final Set<String> LS_FILTERS = Set.of("driver", "id", "label", "name", "scope", "type", "dangling");

    /** Daemon options: the default bridge's name ({@code --bridge}) and address ({@code --bip}, may be null). */
    public record Options(Path dataDir, Path netnsDir, String bridgeName, String bip) {}

    private final ContainerLookup containers;
    private final NetworkStore store;
    private final NetworkDefinitions definitions;
    private final Bridges bridges;
    private final NetworkEvents events;
    private final ContainerDns dns;
    private final PortPublisher ports;
    private final Attachments attachments;
    private final NetworkViews views;
    private final ContainerNetworking hooks;
    private final PendingTeardowns teardowns;

    /** {@code containers} finds containers and takes their locks; {@code etc} writes their hosts and resolv.conf. */
    public NetworkManager(Options options, EventBus events, ContainerLookup containers, EtcFiles etc) {
        this(options, events, containers, etc, new Plumbing(Sys.linux(), options.netnsDir()), Firewall.detect(), Ipam::hostRoutes);
    }

    NetworkManager(Options options, EventBus bus, ContainerLookup containers, EtcFiles etc, Plumbing plumbing, Firewall firewall,
                   Ipam.HostRoutes routes) {
        this.containers = containers;
        this.store = new NetworkStore(options.dataDir());
        Ipam ipam = new Ipam(store, routes);
        this.definitions = new NetworkDefinitions(store, ipam, options.bridgeName(), options.bip());
        this.bridges = new Bridges(store, plumbing, firewall);
        this.events = new NetworkEvents(bus);
        this.dns = new ContainerDns(store, containers);
        this.ports = new PortPublisher();
        this.teardowns = new PendingTeardowns(store, plumbing::unplug);
        this.attachments = new Attachments(store, ipam, bridges, plumbing, events, teardowns);
        this.views = new NetworkViews(store, containers);
        this.hooks = new ContainerNetworking(store, attachments, ports, bridges, etc, events, views, dns, new Links(store, containers),
                teardowns);
    }

    /** What the container lifecycle calls: set-up before create, tear-down at exit, and the views of inspect and ps. */
    public NetworkHooks hooks() { return hooks; }

    // ---- daemon start and stop ----

    /** Loads the records, makes the built-in networks, the bridges and Berth's chains. */
    public void open() {
        synchronized (store) {
            try {
                store.load();
                builtins();
                // the default bridge and Berth's chains appear with the first container that needs them: a
                // daemon that runs no bridged container changes nothing on the host
                boolean live = store.anyLive();
                for (Network n : store.networks()) {
                    if (n.isBridge() && (!n.builtin() || live)) bridges.ensureUp(n);
                }
            } catch (IOException e) {
                throw new BerthException.SystemError("cannot set up networking: " + e.getMessage(), e);
            }
        }
    }

    private void builtins() throws IOException {
        Network bridge = store.byName("bridge");
        Network wanted = definitions.defaultBridge(bridge);
        if (wanted != null) {
            if (bridge != null && !bridge.bridge().equals(definitions.bridgeName())) bridges.delete(bridge.bridge());
            store.save(wanted);
        }
        if (store.byName("host") == null) store.save(NetworkDefinitions.builtin("host", "host"));
        if (store.byName("none") == null) store.save(NetworkDefinitions.builtin("none", "null"));
    }

    /**
     * After the containers were recovered: finishes the teardowns of removed containers a stop came before, takes
     * down what dead containers left, reopens running ones' ports and embedded DNS, writes the rules.
     */
    public void resume() {
        synchronized (store) {
            teardowns.recover(id -> containers.get(id).isPresent());
            for (ContainerNet cn : List.copyOf(store.attachments())) {
                Container c = containers.get(cn.containerId()).orElse(null);
                if (c == null) continue; // removed since recover(): the removal's teardown is pending
                if (!c.isRunning() && c.state().status() != io.berth.engine.container.ContainerStatus.RESTARTING) {
                    // a restarting one is set up by its restart, which recovery may already have begun
                    hooks.tearDown(cn.containerId());
                } else {
                    hooks.adopted(c, cn);
                    try {
                        ports.reopen(cn);
                    } catch (IOException e) {
                        LOG.warn("cannot reopen the published ports of {}: {}", cn.containerId(), e.getMessage());
                    }
                }
            }
            attachments.cleanNetns();
            bridges.applyRules();
        }
    }

    /**
     * At daemon stop: closes the DNS servers and proxies, finishes the teardowns of removed containers; when no container
     * is attached any more, removes Berth's chains and bridges too (they are made again at the next start).
     */
    @Override public void close() {
        synchronized (store) {
            dns.close();
            ports.close();
            teardowns.finishAll();
            if (store.anyLive()) return;
            try {
                bridges.removeAll();
            } catch (IOException e) {
                LOG.warn("network cleanup at stop: {}", e.getMessage());
            }
        }
    }

    // ---- the network resource ----

    @Override public NetworkCreateResponse create(NetworkCreateRequest req) {
        synchronized (store) {
            Network n = definitions.fromRequest(req);
            try {
                bridges.ensureUp(n);
                store.save(n);
            } catch (IOException e) {
                try {
                    bridges.delete(n.bridge());
                } catch (IOException ignored) {
                    // the create error is the one to report
                }
                store.drop(n.id());
                throw new BerthException.SystemError("cannot create network " + n.name() + ": " + e.getMessage(), e);
            }
            bridges.applyRules();
            events.created(n);
            return new NetworkCreateResponse(n.id(), "");
        }
    }

    @Override public List<NetworkResource> list(Filters f) {
        f.requireOnly(LS_FILTERS);
        for (String t : f.get("type")) {
            if (!t.equals("custom") && !t.equals("builtin")) throw new BerthException.InvalidArgument("invalid filter: 'type'='" + t + "'");
        }
        List<NetworkResource> out = new ArrayList<>();
        List<Network> all = new ArrayList<>(store.networks());
        all.sort(Comparator.comparing(Network::created).thenComparing(Network::name));
        for (Network n : all) {
            if (f.has("driver") && !f.get("driver").contains(n.driver())) continue;
            if (f.has("id") && f.get("id").stream().noneMatch(n.id()::startsWith)) continue;
            if (f.has("name") && f.get("name").stream().noneMatch(n.name()::contains)) continue;
            if (f.has("scope") && !f.get("scope").contains("local")) continue;
            if (f.has("type") && !f.get("type").contains(n.builtin() ? "builtin" : "custom")) continue;
            if (f.has("dangling")) {
                boolean want = Boolean.parseBoolean(f.get("dangling").getFirst());
                boolean dangling = !n.builtin() && views.attached(n).isEmpty();
                if (want != dangling) continue;
            }
            if (!labelsMatch(n, f.get("label"))) continue;
            out.add(views.render(n, false));
        }
        return out;
    }

    private static boolean labelsMatch(Network n, List<String> filters) {
        for (String l : filters) {
            int eq = l.indexOf('=');
            if (eq < 0 ? !n.labels().containsKey(l) : !l.substring(eq + 1).equals(n.labels().get(l.substring(0, eq)))) return false;
        }
        return true;
    }

    @Override public NetworkResource inspect(String ref) { return views.render(store.require(ref), true); }

    @Override public void remove(String ref) {
        synchronized (store) {
            Network n = store.require(ref);
            if (n.builtin()) throw new BerthException.Forbidden(n.name() + " is a pre-defined network and cannot be removed");
            teardowns.finishOn(n.id()); // the veths of removed containers go before their bridge
            if (!views.attached(n).isEmpty()) {
                throw new BerthException.Conflict("error while removing network: network " + n.name() + " id " + n.id()
                        + " has active endpoints");
            }
            destroy(n);
        }
    }

    private void destroy(Network n) {
        try {
            bridges.delete(n.bridge());
            store.delete(n);
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot remove network " + n.name() + ": " + e.getMessage(), e);
        }
        bridges.applyRules();
        events.destroyed(n);
    }

    @Override public NetworkPruneReport prune(Filters f) {
        synchronized (store) {
            f.requireOnly(Set.of("until", "label", "label!"));
            Instant until = f.has("until") ? TimeFilters.parse(f.get("until").getFirst()) : null;
            List<String> deleted = new ArrayList<>();
            for (Network n : List.copyOf(store.networks())) {
                if (n.builtin()) continue;
                teardowns.finishOn(n.id());
                if (!views.attached(n).isEmpty()) continue;
                if (until != null && !Instant.parse(n.created()).isBefore(until)) continue;
                if (!labelsMatch(n, f.get("label"))) continue;
                if (f.has("label!") && f.get("label!").stream().anyMatch(l -> labelsMatch(n, List.of(l)))) continue;
                destroy(n);
                deleted.add(n.name());
            }
            return new NetworkPruneReport(deleted);
        }
    }

    @Override public void connect(String netRef, String containerRef, EndpointSettings cfg) {
        Container c0 = containers.require(containerRef);
        containers.locked(c0.id(), () -> {
            synchronized (store) {
                Container c = containers.get(c0.id()).orElse(null);
                Network n = store.require(netRef);
                attachments.connect(c, n, cfg, ContainerNetworking.mode(c));
                hooks.endpointsChanged(c);
                return null;
            }
        });
    }

    @Override public void disconnect(String netRef, String containerRef, boolean force) {
        Container c0 = containers.require(containerRef);
        containers.locked(c0.id(), () -> {
            synchronized (store) {
                attachments.disconnect(c0.id(), store.require(netRef));
                hooks.endpointsChanged(containers.get(c0.id()).orElse(null));
                return null;
            }
        });
    }
}
