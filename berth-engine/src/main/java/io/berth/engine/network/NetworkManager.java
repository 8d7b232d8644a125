package io.berth.engine.network;

import io.berth.api.Filters;
import io.berth.api.Json;
import io.berth.api.container.EndpointSettings;
import io.berth.api.container.HostConfig;
import io.berth.api.container.NetworkingConfig;
import io.berth.api.container.PortBinding;
import io.berth.api.network.NetworkCreateRequest;
import io.berth.engine.container.Container;
import io.berth.engine.container.ContainerFiles;
import io.berth.engine.container.NetworkHooks;
import io.berth.engine.content.AtomicFiles;
import io.berth.engine.service.NetworkService;
import io.berth.api.errors.BerthException;
import io.berth.engine.events.EventBus;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's networks over the bridge driver: records and IPAM under {@code <data-root>/networks},
 * the built-in {@code bridge}, {@code host} and {@code none}, user-defined bridges, container
 * attachments (veth + netns per container, set up before the runtime creates the container and
 * torn down at exit), published ports, isolation rules and the embedded DNS.
 */
public final class NetworkManager implements NetworkService, NetworkHooks, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkManager.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> LS_FILTERS = Set.of("driver", "id", "label", "name", "scope", "type", "dangling");

    /** Daemon options: the default bridge's name ({@code --bridge}) and address ({@code --bip}, may be null). */
    public record Options(Path dataDir, Path netnsDir, String bridgeName, String bip) {}

    /** Runs a body under a container's lock (the lifecycle's), so a connect never races an exit. */
    public interface Locker {
        <T> T locked(String containerId, Supplier<T> body);
    }

    private final Options options;
    private final Plumbing plumbing;
    private final Firewall firewall;
    private final EventBus events;
    private final ContainerFiles files;
    private final Map<String, Network> networks = new ConcurrentHashMap<>();
    private final Map<String, ContainerNet> cnets = new ConcurrentHashMap<>();
    private final Map<String, List<PortProxy.Listener>> proxies = new HashMap<>();
    private final Map<String, DnsServer> dns = new HashMap<>();
    private Function<String, Container> containers = id -> null;
    private Function<String, Container> resolver = ref -> { throw new BerthException.NotFound("No such container: " + ref); };
    private Locker locker = new Locker() {
        @Override public <T> T locked(String id, Supplier<T> body) { return body.get(); }
    };

    public NetworkManager(Options options, EventBus events, ContainerFiles files) {
        this(options, events, files, new Plumbing(Sys.linux(), options.netnsDir()), Firewall.detect());
    }

    NetworkManager(Options options, EventBus events, ContainerFiles files, Plumbing plumbing, Firewall firewall) {
        this.options = options;
        this.events = events;
        this.files = files;
        this.plumbing = plumbing;
        this.firewall = firewall;
    }

    /** How to find containers: by ID (null when gone) and by user reference (throws NotFound), and their locks. */
    public void bind(Function<String, Container> byId, Function<String, Container> byRef, Locker lock) {
        this.containers = byId;
        this.resolver = byRef;
        this.locker = lock;
    }

    // ---- daemon start and stop ----

    /** Loads the records, makes the built-in networks, the bridges, Berth's chains and the DNS servers. */
    public synchronized void open() {
        try {
            Files.createDirectories(options.dataDir().resolve("containers"));
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(options.dataDir(), "*.json")) {
                for (Path p : ds) {
                    Network n = Json.plain().readValue(p.toFile(), Network.class);
                    networks.put(n.id(), n);
                }
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(options.dataDir().resolve("containers"), "*.json")) {
                for (Path p : ds) {
                    ContainerNet cn = Json.plain().readValue(p.toFile(), ContainerNet.class);
                    cnets.put(cn.containerId(), cn);
                }
            }
            builtins();
            // the default bridge and Berth's chains appear with the first container that needs them: a
            // daemon that runs no bridged container changes nothing on the host
            boolean live = cnets.values().stream().anyMatch(cn -> cn.endpoints().stream().anyMatch(Endpoint::live));
            for (Network n : networks.values()) {
                if (n.isBridge() && (!n.builtin() || live)) ensureUp(n);
            }
            for (Network n : networks.values()) startDns(n);
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot set up networking: " + e.getMessage(), e);
        }
    }

    /** After the containers were recovered: drops what dead containers left, reopens running ones' ports, writes the rules. */
    public synchronized void resume() {
        for (ContainerNet cn : List.copyOf(cnets.values())) {
            Container c = containers.apply(cn.containerId());
            if (c == null) {
                tearDown(cn.containerId());
                forget(cn.containerId());
            } else if (!c.isRunning()) {
                tearDown(cn.containerId());
            } else {
                try {
                    openProxies(cn, List.of());
                } catch (IOException e) {
                    LOG.warn("cannot reopen the published ports of {}: {}", cn.containerId(), e.getMessage());
                }
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(plumbing.netnsDir())) {
            for (Path p : ds) {
                ContainerNet cn = cnets.get(p.getFileName().toString());
                if (cn == null || cn.netns().isEmpty()) plumbing.deleteNetns(p.getFileName().toString());
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no netns yet
        } catch (IOException e) {
            LOG.warn("cannot clean {}: {}", plumbing.netnsDir(), e.getMessage());
        }
        applyFirewall();
    }

    /**
     * At daemon stop: closes the DNS servers and proxies; when no container is attached any more,
     * removes Berth's chains and bridges too (they are made again at the next start).
     */
    @Override public synchronized void close() {
        for (DnsServer d : dns.values()) d.close();
        dns.clear();
        for (List<PortProxy.Listener> l : proxies.values()) l.forEach(PortProxy.Listener::close);
        proxies.clear();
        boolean live = cnets.values().stream().anyMatch(cn -> cn.endpoints().stream().anyMatch(Endpoint::live));
        if (live) return;
        try {
            firewall.uninstall();
            for (Network n : networks.values()) if (n.isBridge()) plumbing.deleteBridge(n.bridge());
        } catch (IOException e) {
            LOG.warn("network cleanup at stop: {}", e.getMessage());
        }
    }

    /** Makes the network's bridge and Berth's chains if they are missing. */
    private void ensureUp(Network n) throws IOException {
        if (!Plumbing.linkExists(n.bridge())) plumbing.ensureBridge(n.bridge(), gatewayCidr(n), n.mtu());
        if (!firewall.installed()) {
            firewall.install();
            applyFirewall();
        }
    }

    private void builtins() throws IOException {
        Network bridge = byName("bridge");
        String subnet;
        String gateway;
        if (options.bip() != null && !options.bip().isEmpty()) {
            int[] hp = Cidr.parseHost(options.bip());
            subnet = new Cidr(hp[0], hp[1]).toString();
            gateway = Cidr.str(hp[0]);
        } else if (bridge != null && !bridge.subnet().isEmpty() && bridge.bridge().equals(options.bridgeName())) {
            subnet = bridge.subnet();
            gateway = bridge.gateway();
        } else {
            Cidr c = freePool(bridge == null ? null : bridge.id());
            subnet = c.toString();
            gateway = Cidr.str(c.base() + 1);
        }
        Map<String, String> opts = new TreeMap<>();
        opts.put("com.docker.network.bridge.default_bridge", "true");
        opts.put("com.docker.network.bridge.enable_icc", "true");
        opts.put("com.docker.network.bridge.enable_ip_masquerade", "true");
        opts.put("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0");
        opts.put("com.docker.network.bridge.name", options.bridgeName());
        opts.put("com.docker.network.driver.mtu", "1500");
        if (bridge == null || !bridge.subnet().equals(subnet) || !bridge.bridge().equals(options.bridgeName())) {
            if (bridge != null && !bridge.bridge().equals(options.bridgeName())) plumbing.deleteBridge(bridge.bridge());
            save(new Network(bridge == null ? newId() : bridge.id(), "bridge", "bridge", now(), subnet, gateway, "", false, false,
                    true, Map.of(), opts, options.bridgeName(), 1500));
        }
        if (byName("host") == null) save(new Network(newId(), "host", "host", now(), "", "", "", false, false, true, Map.of(), Map.of(), "", 0));
        if (byName("none") == null) save(new Network(newId(), "none", "null", now(), "", "", "", false, false, true, Map.of(), Map.of(), "", 0));
    }

    /** The first private /16 of 172.17–31, then the /20s of 192.168, that no host route and no network overlaps. */
    Cidr freePool(String ignoreId) throws IOException {
        List<Cidr> taken = hostRoutes();
        for (Network n : networks.values()) {
            if (!n.subnet().isEmpty() && !n.id().equals(ignoreId)) taken.add(n.cidr());
        }
        List<Cidr> pool = new ArrayList<>();
        for (int b = 17; b <= 31; b++) pool.add(new Cidr(Cidr.ip("172." + b + ".0.0"), 16));
        for (int b = 0; b < 256; b += 16) pool.add(new Cidr(Cidr.ip("192.168." + b + ".0"), 20));
        for (Cidr c : pool) {
            if (taken.stream().noneMatch(c::overlaps)) return c;
        }
        throw new BerthException.Forbidden("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
    }

    /** The host's IPv4 routes (but the default route), from /proc/net/route. */
    static List<Cidr> hostRoutes() throws IOException {
        List<Cidr> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) continue;
            int dest = Integer.reverseBytes((int) Long.parseLong(f[1], 16));
            int mask = Integer.reverseBytes((int) Long.parseLong(f[7], 16));
            int bits = Integer.bitCount(mask);
            if (bits == 0) continue;
            out.add(new Cidr(dest, bits));
        }
        return out;
    }

    // ---- the network resource ----

    @Override public synchronized Map<String, Object> create(NetworkCreateRequest req) {
        String name = req.name() == null ? "" : req.name().strip();
        if (name.isEmpty()) throw new BerthException.InvalidArgument("network name must not be empty"); // not Docker's wording exactly
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new BerthException.InvalidArgument("invalid network name \"" + name + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        if (byName(name) != null) throw new BerthException.Conflict("network with name " + name + " already exists");
        String driver = req.driver() == null || req.driver().isEmpty() ? "bridge" : req.driver();
        if (!driver.equals("bridge")) {
            if (driver.equals("host") || driver.equals("null")) {
                throw new BerthException.Forbidden("only one instance of \"" + driver + "\" network is allowed");
            }
            throw new BerthException.NotFound("plugin \"" + driver + "\" not found");
        }
        Map<String, String> opts = req.options() == null ? Map.of() : req.options();
        String subnet = "";
        String gateway = "";
        String ipRange = "";
        List<NetworkCreateRequest.IpamConfig> pools = req.ipam() == null || req.ipam().config() == null ? List.of() : req.ipam().config();
        if (pools.size() > 1) throw new BerthException.NotImplemented("only one IPv4 pool per network is supported");
        try {
            Cidr c;
            if (!pools.isEmpty() && pools.getFirst().subnet() != null && !pools.getFirst().subnet().isEmpty()) {
                NetworkCreateRequest.IpamConfig p = pools.getFirst();
                if (p.subnet().contains(":")) throw new BerthException.NotImplemented("IPv6 networks are not supported");
                int[] hp = Cidr.parseHost(p.subnet());
                c = new Cidr(hp[0], hp[1]);
                if (c.bits() > 30) throw new BerthException.InvalidArgument("invalid subnet " + p.subnet() + ": too small");
                for (Network n : networks.values()) {
                    if (!n.subnet().isEmpty() && n.cidr().overlaps(c)) {
                        throw new BerthException.Forbidden("invalid pool request: Pool overlaps with other one on this address space");
                    }
                }
                if (p.gateway() != null && !p.gateway().isEmpty()) {
                    if (!c.contains(Cidr.ip(p.gateway()))) throw new BerthException.Forbidden("no matching subnet for gateway " + p.gateway());
                    gateway = p.gateway();
                }
                if (p.ipRange() != null && !p.ipRange().isEmpty()) {
                    Cidr r = Cidr.parse(p.ipRange());
                    if (!c.contains(r.base()) || r.bits() < c.bits()) {
                        throw new BerthException.Forbidden("no matching subnet for range " + p.ipRange());
                    }
                    ipRange = r.toString();
                }
            } else {
                if (!pools.isEmpty() && (notEmpty(pools.getFirst().gateway()) || notEmpty(pools.getFirst().ipRange()))) {
                    throw new BerthException.InvalidArgument("invalid pool request: gateway and ip-range need a subnet");
                }
                c = freePool(null);
            }
            subnet = c.toString();
            if (gateway.isEmpty()) gateway = Cidr.str(c.base() + 1);
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot read the host's routes: " + e.getMessage(), e);
        }
        String id = newId();
        String bridge = opts.getOrDefault("com.docker.network.bridge.name", "br-" + id.substring(0, 12));
        if (bridge.length() > 15) throw new BerthException.InvalidArgument("bridge name " + bridge + " is longer than 15 characters");
        for (Network n : networks.values()) {
            if (bridge.equals(n.bridge())) throw new BerthException.Forbidden("bridge name " + bridge + " is used by network " + n.name());
        }
        int mtu = 1500;
        if (opts.containsKey("com.docker.network.driver.mtu")) {
            try {
                mtu = Integer.parseInt(opts.get("com.docker.network.driver.mtu"));
            } catch (NumberFormatException e) {
                throw new BerthException.InvalidArgument("invalid MTU " + opts.get("com.docker.network.driver.mtu"));
            }
        }
        Network n = new Network(id, name, "bridge", now(), subnet, gateway, ipRange, Boolean.TRUE.equals(req.internal()),
                Boolean.TRUE.equals(req.attachable()), false, req.labels(), opts, bridge, mtu);
        try {
            ensureUp(n);
            save(n);
            startDns(n);
        } catch (IOException e) {
            try {
                plumbing.deleteBridge(bridge);
            } catch (IOException ignored) {
                // the create error is the one to report
            }
            networks.remove(id);
            throw new BerthException.SystemError("cannot create network " + name + ": " + e.getMessage(), e);
        }
        applyFirewall();
        events.publish("network", "create", id, attrs(n));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", id);
        out.put("Warning", "");
        return out;
    }

    private static boolean notEmpty(String s) { return s != null && !s.isEmpty(); }

    @Override public List<Map<String, Object>> list(Filters f) {
        f.requireOnly(LS_FILTERS);
        for (String t : f.get("type")) {
            if (!t.equals("custom") && !t.equals("builtin")) throw new BerthException.InvalidArgument("invalid filter: 'type'='" + t + "'");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        List<Network> all = new ArrayList<>(networks.values());
        all.sort(java.util.Comparator.comparing(Network::created).thenComparing(Network::name));
        for (Network n : all) {
            if (f.has("driver") && !f.get("driver").contains(n.driver())) continue;
            if (f.has("id") && f.get("id").stream().noneMatch(n.id()::startsWith)) continue;
            if (f.has("name") && f.get("name").stream().noneMatch(n.name()::contains)) continue;
            if (f.has("scope") && !f.get("scope").contains("local")) continue;
            if (f.has("type") && !f.get("type").contains(n.builtin() ? "builtin" : "custom")) continue;
            if (f.has("dangling")) {
                boolean want = Boolean.parseBoolean(f.get("dangling").getFirst());
                boolean dangling = !n.builtin() && attached(n).isEmpty();
                if (want != dangling) continue;
            }
            if (!labelsMatch(n, f.get("label"))) continue;
            out.add(render(n, false));
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

    @Override public Map<String, Object> inspect(String ref) { return render(require(ref), true); }

    @Override public synchronized void remove(String ref) {
        Network n = require(ref);
        if (n.builtin()) throw new BerthException.Forbidden(n.name() + " is a pre-defined network and cannot be removed");
        if (!attached(n).isEmpty()) {
            throw new BerthException.Conflict("error while removing network: network " + n.name() + " id " + n.id()
                    + " has active endpoints");
        }
        destroy(n);
    }

    private void destroy(Network n) {
        DnsServer d = dns.remove(n.id());
        if (d != null) d.close();
        try {
            plumbing.deleteBridge(n.bridge());
            Files.deleteIfExists(options.dataDir().resolve(n.id() + ".json"));
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot remove network " + n.name() + ": " + e.getMessage(), e);
        }
        networks.remove(n.id());
        applyFirewall();
        events.publish("network", "destroy", n.id(), attrs(n));
    }

    @Override public synchronized Map<String, Object> prune(Filters f) {
        f.requireOnly(Set.of("until", "label", "label!"));
        Instant until = f.has("until") ? io.berth.api.TimeFilters.parse(f.get("until").getFirst()) : null;
        List<String> deleted = new ArrayList<>();
        for (Network n : List.copyOf(networks.values())) {
            if (n.builtin() || !attached(n).isEmpty()) continue;
            if (until != null && !Instant.parse(n.created()).isBefore(until)) continue;
            if (!labelsMatch(n, f.get("label"))) continue;
            if (f.has("label!") && f.get("label!").stream().anyMatch(l -> labelsMatch(n, List.of(l)))) continue;
            destroy(n);
            deleted.add(n.name());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("NetworksDeleted", deleted);
        return out;
    }

    @Override public void connect(String netRef, String containerRef, EndpointSettings cfg) {
        Container c0 = resolver.apply(containerRef);
        locker.locked(c0.id(), () -> {
            synchronized (this) {
                Container c = containers.apply(c0.id());
                Network n = require(netRef);
                String mode = mode(c);
                if (mode.equals("host") || mode.equals("none") || mode.startsWith("container:") || !n.isBridge()) {
                    throw new BerthException.Forbidden("container sharing network namespace with another container or host cannot be connected to any other network");
                }
                ContainerNet cn = cnets.computeIfAbsent(c.id(), k -> new ContainerNet(k, mode, List.of(), "", List.of()));
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
                        ep = plumb(c, Path.of(cn.netns()), n, ep, "eth" + i, !Plumbing.hasDefaultRoute(Path.of(cn.netns())));
                    } catch (IOException e) {
                        throw new BerthException.SystemError("cannot connect " + c.name() + " to " + n.name() + ": " + e.getMessage(), e);
                    }
                    events.publish("network", "connect", n.id(), attrs(n, c.id()));
                }
                eps.add(ep);
                store(cn.withEndpoints(eps));
                return null;
            }
        });
    }

    @Override public void disconnect(String netRef, String containerRef, boolean force) {
        Container c0 = resolver.apply(containerRef);
        locker.locked(c0.id(), () -> {
            synchronized (this) {
                Network n = require(netRef);
                ContainerNet cn = cnets.get(c0.id());
                Endpoint ep = cn == null ? null : cn.endpoints().stream().filter(e -> e.networkId().equals(n.id())).findFirst().orElse(null);
                if (ep == null) throw new BerthException.Forbidden("container " + c0.id() + " is not connected to network " + n.name());
                if (!n.isBridge()) throw new BerthException.Forbidden("container cannot be disconnected from host network or connected to host network");
                unplumb(ep);
                List<Endpoint> eps = new ArrayList<>(cn.endpoints());
                eps.remove(ep);
                store(cn.withEndpoints(eps));
                if (ep.live()) events.publish("network", "disconnect", n.id(), attrs(n, c0.id()));
                return null;
            }
        });
    }

    // ---- container hooks ----

    @Override public synchronized void created(Container c, NetworkingConfig config) {
        String mode = mode(c);
        Map<String, EndpointSettings> asked = config == null || config.endpointsConfig() == null ? Map.of() : config.endpointsConfig();
        List<Endpoint> eps = new ArrayList<>();
        if (!mode.startsWith("container:")) {
            String primary = mode.equals("default") ? "bridge" : mode;
            Network n = require(primary);
            EndpointSettings s = asked.get(primary);
            if (s == null) s = asked.get(mode); // the CLI keys the default network's settings by "default"
            if (s == null) s = asked.get(n.name());
            if (s == null) s = asked.get(n.id());
            String legacyMac = c.config().macAddress(); // Config.MacAddress, as clients before API 1.44 send it
            if (legacyMac != null && !legacyMac.isEmpty() && (s == null || s.macAddress() == null || s.macAddress().isEmpty())) {
                s = s == null ? EndpointSettings.withMac(legacyMac) : s.withMacAddress(legacyMac);
            }
            if (n.isBridge() || s == null) eps.add(requested(n, s));
            for (var e : asked.entrySet()) {
                Network other = require(e.getKey());
                if (other.id().equals(n.id())) continue;
                if (!n.isBridge() || !other.isBridge()) {
                    throw new BerthException.InvalidArgument("container cannot be connected to network endpoints: "
                            + String.join(", ", asked.keySet()));
                }
                eps.add(requested(other, e.getValue()));
            }
        }
        HostConfig hc = c.hostConfig();
        if (hc.portBindings() != null) {
            for (String k : hc.portBindings().keySet()) parsePort(k);
        }
        store(new ContainerNet(c.id(), mode, eps, "", List.of()));
    }

    private Endpoint requested(Network n, EndpointSettings s) {
        List<String> aliases = s == null || s.aliases() == null ? List.of() : s.aliases();
        String ip = s == null || s.ipamConfig() == null ? null : s.ipamConfig().ipv4Address();
        String mac = s == null ? null : s.macAddress();
        if (n.isDefaultBridge() && !aliases.isEmpty()) {
            throw new BerthException.InvalidArgument("network-scoped alias is supported only for containers in user defined networks");
        }
        if (notEmpty(ip)) {
            if (n.isDefaultBridge()) {
                throw new BerthException.InvalidArgument("user specified IP address is supported on user defined networks only");
            }
            if (!n.cidr().contains(Cidr.ip(ip))) {
                throw new BerthException.InvalidArgument("no configured subnet or ip-range contain the IP address " + ip);
            }
        }
        return Endpoint.requested(n.id(), aliases, ip, mac);
    }

    @Override public Path setUp(Container c) {
        synchronized (this) {
            ContainerNet cn = cnets.get(c.id());
            if (cn == null) {
                created(c, null);
                cn = cnets.get(c.id());
            }
            if (cn.endpoints().stream().noneMatch(e -> isBridge(e.networkId()))) return null;
            Path netns = null;
            try {
                netns = plumbing.createNetns(c.id());
                cn = cn.withNetns(netns.toString());
                List<Endpoint> eps = new ArrayList<>();
                boolean route = true;
                int i = 0;
                for (Endpoint e : cn.endpoints()) {
                    Network n = networks.get(e.networkId());
                    if (n == null || !n.isBridge()) {
                        eps.add(e);
                        continue;
                    }
                    Endpoint up = plumb(c, netns, n, e, "eth" + i++, route && !n.internal());
                    if (!n.internal()) route = false;
                    eps.add(up);
                    cn = cn.withEndpoints(replace(cn.endpoints(), e, up)); // so a failure below tears this one down
                    cnets.put(c.id(), cn);
                }
                cn = cn.withEndpoints(eps);
                cnets.put(c.id(), cn);
                List<PortMapping> ports = publish(c, cn);
                cn = cn.withPorts(ports);
                store(cn);
                writeFiles(c, cn);
                if (!ports.isEmpty()) applyFirewall();
            } catch (IOException | RuntimeException e) {
                tearDown(c.id());
                if (e instanceof BerthException be) throw be;
                throw new BerthException.SystemError("cannot set up the network of " + c.id() + ": " + e.getMessage(), e);
            }
            for (Endpoint e : cn.endpoints()) {
                Network n = networks.get(e.networkId());
                if (n != null && e.live()) events.publish("network", "connect", n.id(), attrs(n, c.id()));
            }
            return netns;
        }
    }

    private static List<Endpoint> replace(List<Endpoint> list, Endpoint old, Endpoint now) {
        List<Endpoint> out = new ArrayList<>(list);
        out.set(out.indexOf(old), now);
        return out;
    }

    private boolean isBridge(String networkId) {
        Network n = networks.get(networkId);
        return n != null && n.isBridge();
    }

    /** Allocates an address and adds the veth pair; returns the live endpoint. */
    private Endpoint plumb(Container c, Path netns, Network n, Endpoint e, String ifName, boolean defaultRoute) throws IOException {
        ensureUp(n);
        int ip = allocate(n, e.requestedIp());
        Cidr cidr = n.cidr();
        String mac = notEmpty(e.requestedMac()) ? e.requestedMac() : mac(ip);
        String epId = newId();
        String veth = "veth" + epId.substring(0, 7);
        plumbing.addVeth(netns, n.bridge(), n.mtu(), veth, ifName, mac, Cidr.str(ip) + "/" + cidr.bits(), defaultRoute ? n.gateway() : null);
        return e.up(epId, Cidr.str(ip), mac, veth, ifName);
    }

    private void unplumb(Endpoint e) {
        if (!e.live()) return;
        try {
            plumbing.deleteLink(e.hostVeth());
        } catch (IOException ex) {
            LOG.warn("cannot delete {}: {}", e.hostVeth(), ex.getMessage());
        }
    }

    /** Docker's MAC: 02:42 and the four bytes of the address. */
    static String mac(int ip) {
        return String.format("02:42:%02x:%02x:%02x:%02x", ip >>> 24, ip >>> 16 & 255, ip >>> 8 & 255, ip & 255);
    }

    private int allocate(Network n, String requested) {
        Set<Integer> used = new HashSet<>();
        used.add(Cidr.ip(n.gateway()));
        for (ContainerNet cn : cnets.values()) {
            for (Endpoint e : cn.endpoints()) if (e.networkId().equals(n.id()) && e.live()) used.add(Cidr.ip(e.ip()));
        }
        Cidr cidr = n.cidr();
        if (notEmpty(requested)) {
            int ip = Cidr.ip(requested);
            if (used.contains(ip)) throw new BerthException.Forbidden("Address already in use");
            return ip;
        }
        Cidr range = n.allocationRange();
        for (long i = 0; i < range.size(); i++) {
            int ip = (int) (range.base() + i);
            if (ip == cidr.base() || ip == cidr.last() || used.contains(ip)) continue;
            return ip;
        }
        throw new BerthException.Forbidden("no available IPv4 addresses on this network's address pools: " + n.name() + " (" + n.id() + ")");
    }

    @Override public synchronized void tearDown(String id) {
        ContainerNet cn = cnets.get(id);
        List<PortProxy.Listener> ls = proxies.remove(id);
        if (ls != null) ls.forEach(PortProxy.Listener::close);
        if (cn == null) return;
        boolean hadPorts = !cn.ports().isEmpty();
        List<Endpoint> eps = new ArrayList<>();
        for (Endpoint e : cn.endpoints()) {
            unplumb(e);
            Network n = networks.get(e.networkId());
            if (e.live() && n != null) events.publish("network", "disconnect", n.id(), attrs(n, id));
            eps.add(e.down());
        }
        try {
            plumbing.deleteNetns(id);
        } catch (IOException e) {
            LOG.warn("cannot remove the netns of {}: {}", id, e.getMessage());
        }
        if (cnets.containsKey(id)) store(cn.withEndpoints(eps).withNetns("").withPorts(List.of()));
        if (hadPorts) applyFirewall();
    }

    @Override public synchronized void removed(String id) {
        tearDown(id);
        forget(id);
    }

    private void forget(String id) {
        cnets.remove(id);
        try {
            Files.deleteIfExists(options.dataDir().resolve("containers").resolve(id + ".json"));
        } catch (IOException e) {
            LOG.warn("cannot remove the network record of {}: {}", id, e.getMessage());
        }
    }

    // ---- published ports ----

    private static String[] parsePort(String key) {
        int slash = key.indexOf('/');
        String port = slash < 0 ? key : key.substring(0, slash);
        String proto = slash < 0 ? "tcp" : key.substring(slash + 1).toLowerCase();
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw new BerthException.InvalidArgument("invalid proto: " + proto);
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new BerthException.InvalidArgument("invalid port specification: \"" + port + "\"");
        }
        return new String[] {port, proto};
    }

    /** The bindings asked for: PortBindings, plus every exposed port on an ephemeral one with -P. */
    private static Map<String, List<PortBinding>> wanted(Container c) {
        Map<String, List<PortBinding>> out = new LinkedHashMap<>();
        if (c.hostConfig().portBindings() != null) {
            for (var e : c.hostConfig().portBindings().entrySet()) {
                String[] pp = parsePort(e.getKey());
                out.put(pp[0] + "/" + pp[1], e.getValue() == null || e.getValue().isEmpty() ? List.of(new PortBinding("", "")) : e.getValue());
            }
        }
        if (Boolean.TRUE.equals(c.hostConfig().publishAllPorts()) && c.config().exposedPorts() != null) {
            for (String k : c.config().exposedPorts().keySet()) {
                String[] pp = parsePort(k);
                out.putIfAbsent(pp[0] + "/" + pp[1], List.of(new PortBinding("", "")));
            }
        }
        return out;
    }

    private List<PortMapping> publish(Container c, ContainerNet cn) throws IOException {
        Map<String, List<PortBinding>> want = wanted(c);
        if (want.isEmpty()) return List.of();
        Endpoint primary = cn.endpoints().stream().filter(Endpoint::live).findFirst().orElse(null);
        if (primary == null) return List.of();
        List<PortMapping> out = new ArrayList<>();
        for (var e : want.entrySet()) {
            String[] pp = parsePort(e.getKey());
            if (pp[1].equals("sctp")) continue;
            for (PortBinding b : e.getValue()) {
                String hostIp = b.hostIp() == null ? "" : b.hostIp();
                if (hostIp.contains(":")) continue; // IPv6 bindings: not supported, skipped as on an IPv4-only host
                String hp = b.hostPort() == null ? "" : b.hostPort();
                int from = 0;
                int to = 0;
                if (!hp.isEmpty()) {
                    int dash = hp.indexOf('-');
                    from = Integer.parseInt(dash < 0 ? hp : hp.substring(0, dash));
                    to = dash < 0 ? from : Integer.parseInt(hp.substring(dash + 1));
                }
                out.add(new PortMapping(pp[1], Integer.parseInt(pp[0]), hostIp.isEmpty() ? "0.0.0.0" : hostIp, from * 65536 + to, primary.ip()));
            }
        }
        return openProxies(cn.withPorts(out), List.of());
    }

    /** Binds every mapping's host port (trying a range in order; 0 = ephemeral); all or nothing. */
    private List<PortMapping> openProxies(ContainerNet cn, List<PortMapping> ignored) throws IOException {
        List<PortProxy.Listener> opened = new ArrayList<>();
        List<PortMapping> bound = new ArrayList<>();
        try {
            for (PortMapping m : cn.ports()) {
                int from = m.hostPort() > 65535 || m.hostPort() == 0 ? m.hostPort() >>> 16 : m.hostPort();
                int to = m.hostPort() > 65535 ? m.hostPort() & 0xffff : from;
                if (m.hostPort() <= 65535) to = from;
                InetSocketAddress target = new InetSocketAddress(m.containerIp(), m.containerPort());
                PortProxy.Listener l = null;
                IOException last = null;
                for (int p = from; p <= to && l == null; p++) {
                    try {
                        l = PortProxy.open(m.proto(), m.hostIp(), p, target);
                    } catch (IOException e) {
                        last = e;
                    }
                }
                if (l == null) {
                    String port = from == to ? Integer.toString(from) : from + "-" + to;
                    throw new BerthException.SystemError("driver failed programming external connectivity on endpoint "
                            + "(" + cn.containerId().substring(0, 12) + "): Bind for " + m.hostIp() + ":" + port
                            + " failed: port is already allocated", last);
                }
                opened.add(l);
                bound.add(new PortMapping(m.proto(), m.containerPort(), m.hostIp(), l.port(), m.containerIp()));
            }
        } catch (RuntimeException e) {
            opened.forEach(PortProxy.Listener::close);
            throw e;
        }
        proxies.put(cn.containerId(), opened);
        return bound;
    }

    // ---- files, DNS, firewall ----

    private void writeFiles(Container c, ContainerNet cn) throws IOException {
        Endpoint primary = cn.endpoints().stream().filter(Endpoint::live).findFirst().orElse(null);
        if (primary == null) return;
        HostConfig hc = c.hostConfig();
        List<String> extra = new ArrayList<>(hc.extraHosts() == null ? List.of() : hc.extraHosts());
        extra.add(c.config().hostname() + ":" + primary.ip());
        Network n = networks.get(primary.networkId());
        List<String> servers = hc.dns();
        if (n != null && !n.builtin()) servers = List.of(n.gateway());
        files.write(c.id(), c.config().hostname(), c.config().domainname(), extra, servers, hc.dnsSearch(), hc.dnsOptions(), false);
    }

    private void startDns(Network n) {
        if (n.builtin() || !n.isBridge() || dns.containsKey(n.id())) return;
        try {
            dns.put(n.id(), DnsServer.start(n.gateway(), name -> resolve(n.id(), name)));
        } catch (IOException e) {
            LOG.warn("cannot start the DNS server of network {} on {}: {}", n.name(), n.gateway(), e.getMessage());
        }
    }

    /** The addresses of the running containers on a network whose name, short ID or alias is {@code name}. */
    List<String> resolve(String networkId, String name) {
        List<String> out = new ArrayList<>();
        for (ContainerNet cn : cnets.values()) {
            for (Endpoint e : cn.endpoints()) {
                if (!e.networkId().equals(networkId) || !e.live()) continue;
                Container c = containers.apply(cn.containerId());
                if (c == null) continue;
                if (name.equalsIgnoreCase(c.name()) || name.equalsIgnoreCase(c.shortId())
                        || e.aliases().stream().anyMatch(name::equalsIgnoreCase)) {
                    out.add(e.ip());
                }
            }
        }
        return out;
    }

    private void applyFirewall() {
        List<PortMapping> all = new ArrayList<>();
        for (ContainerNet cn : cnets.values()) all.addAll(cn.ports());
        try {
            firewall.apply(networks.values(), all, ip -> {
                for (Network n : networks.values()) if (n.isBridge() && n.cidr().contains(Cidr.ip(ip))) return n.bridge();
                return null;
            });
        } catch (IOException e) {
            LOG.error("cannot write Berth's firewall rules: {}", e.getMessage());
        }
    }

    // ---- views ----

    private List<Map.Entry<Container, Endpoint>> attached(Network n) {
        List<Map.Entry<Container, Endpoint>> out = new ArrayList<>();
        for (ContainerNet cn : cnets.values()) {
            for (Endpoint e : cn.endpoints()) {
                if (!e.networkId().equals(n.id())) continue;
                Container c = containers.apply(cn.containerId());
                if (c != null && c.isRunning() && (e.live() || !n.isBridge())) out.add(Map.entry(c, e));
            }
        }
        return out;
    }

    private Map<String, Object> render(Network n, boolean withContainers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", n.created());
        m.put("Scope", "local");
        m.put("Driver", n.driver());
        m.put("EnableIPv4", true);
        m.put("EnableIPv6", false);
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", n.builtin() ? null : Map.of());
        List<Map<String, Object>> cfg = new ArrayList<>();
        if (!n.subnet().isEmpty()) {
            Map<String, Object> pool = new LinkedHashMap<>();
            pool.put("Subnet", n.subnet());
            if (notEmpty(n.ipRange())) pool.put("IPRange", n.ipRange());
            pool.put("Gateway", n.gateway());
            cfg.add(pool);
        }
        ipam.put("Config", cfg);
        m.put("IPAM", ipam);
        m.put("Internal", n.internal());
        m.put("Attachable", n.attachable());
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        Map<String, Object> cs = new LinkedHashMap<>();
        if (withContainers) {
            for (var a : attached(n)) {
                Endpoint e = a.getValue();
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("Name", a.getKey().name());
                x.put("EndpointID", e.endpointId());
                x.put("MacAddress", e.mac());
                x.put("IPv4Address", e.live() ? e.ip() + "/" + n.cidr().bits() : "");
                x.put("IPv6Address", "");
                cs.put(a.getKey().id(), x);
            }
        }
        m.put("Containers", cs);
        m.put("Options", new TreeMap<>(n.options()));
        m.put("Labels", n.labels());
        return m;
    }

    @Override public Map<String, Object> settings(Container c) {
        ContainerNet cn = cnets.get(c.id());
        List<PortMapping> ports = cn == null ? List.of() : cn.ports();
        Map<String, Object> ns = new LinkedHashMap<>();
        ns.put("Bridge", "");
        ns.put("SandboxID", cn != null && !cn.netns().isEmpty() ? sha(c.id()) : "");
        ns.put("SandboxKey", cn != null && !cn.netns().isEmpty() ? cn.netns() : "");
        ns.put("Ports", portsMap(c, ports));
        ns.put("HairpinMode", false);
        ns.put("LinkLocalIPv6Address", "");
        ns.put("LinkLocalIPv6PrefixLen", 0);
        ns.put("SecondaryIPAddresses", null);
        ns.put("SecondaryIPv6Addresses", null);
        Endpoint primary = cn == null ? null : cn.endpoints().stream().filter(Endpoint::live).findFirst().orElse(null);
        Network pn = primary == null ? null : networks.get(primary.networkId());
        ns.put("EndpointID", primary == null ? "" : primary.endpointId());
        ns.put("Gateway", pn == null ? "" : pn.gateway());
        ns.put("GlobalIPv6Address", "");
        ns.put("GlobalIPv6PrefixLen", 0);
        ns.put("IPAddress", primary == null ? "" : primary.ip());
        ns.put("IPPrefixLen", pn == null ? 0 : pn.cidr().bits());
        ns.put("IPv6Gateway", "");
        ns.put("MacAddress", primary == null ? "" : primary.mac());
        ns.put("Networks", endpointsView(c, cn));
        return ns;
    }

    private Map<String, Object> endpointsView(Container c, ContainerNet cn) {
        Map<String, Object> networksOut = new LinkedHashMap<>();
        if (cn == null) return networksOut;
        for (Endpoint e : cn.endpoints()) {
            Network n = networks.get(e.networkId());
            if (n == null) continue;
            Map<String, Object> ep = new LinkedHashMap<>();
            ep.put("IPAMConfig", notEmpty(e.requestedIp()) ? Map.of("IPv4Address", e.requestedIp()) : null);
            ep.put("Links", null);
            ep.put("Aliases", e.aliases().isEmpty() ? null : e.aliases());
            ep.put("MacAddress", e.mac());
            ep.put("DriverOpts", null);
            ep.put("GwPriority", 0);
            ep.put("NetworkID", n.id());
            ep.put("EndpointID", e.endpointId());
            ep.put("Gateway", e.live() ? n.gateway() : "");
            ep.put("IPAddress", e.ip());
            ep.put("IPPrefixLen", e.live() ? n.cidr().bits() : 0);
            ep.put("IPv6Gateway", "");
            ep.put("GlobalIPv6Address", "");
            ep.put("GlobalIPv6PrefixLen", 0);
            List<String> names = new ArrayList<>();
            if (!n.builtin()) {
                names.add(c.name());
                names.addAll(e.aliases());
                names.add(c.shortId());
            }
            ep.put("DNSNames", names.isEmpty() ? null : names);
            networksOut.put(n.name(), ep);
        }
        return networksOut;
    }

    private static Map<String, Object> portsMap(Container c, List<PortMapping> ports) {
        Map<String, Object> out = new TreeMap<>();
        if (c.config().exposedPorts() != null) for (String k : c.config().exposedPorts().keySet()) out.put(k.contains("/") ? k : k + "/tcp", null);
        for (PortMapping p : ports) {
            @SuppressWarnings("unchecked")
            List<Map<String, String>> l = (List<Map<String, String>>) out.get(p.key());
            if (l == null) {
                l = new ArrayList<>();
                out.put(p.key(), l);
            }
            Map<String, String> b = new LinkedHashMap<>();
            b.put("HostIp", p.hostIp());
            b.put("HostPort", Integer.toString(p.hostPort()));
            l.add(b);
        }
        return out;
    }

    @Override public List<Map<String, Object>> ports(Container c) {
        ContainerNet cn = cnets.get(c.id());
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PortMapping p : cn == null ? List.<PortMapping>of() : cn.ports()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("IP", p.hostIp());
            m.put("PrivatePort", p.containerPort());
            m.put("PublicPort", p.hostPort());
            m.put("Type", p.proto());
            out.add(m);
            seen.add(p.key());
        }
        if (c.config().exposedPorts() != null) {
            for (String k : c.config().exposedPorts().keySet()) {
                String[] pp = parsePort(k);
                if (seen.contains(pp[0] + "/" + pp[1])) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("PrivatePort", Integer.parseInt(pp[0]));
                m.put("Type", pp[1]);
                out.add(m);
            }
        }
        return out;
    }

    // ---- records ----

    private static String mode(Container c) {
        String m = c.hostConfig().networkMode();
        return m == null || m.isEmpty() ? "default" : m;
    }

    Network byName(String name) {
        for (Network n : networks.values()) if (n.name().equals(name)) return n;
        return null;
    }

    /** By exact name, exact ID, then unique ID prefix, as Docker resolves network references. */
    Network require(String ref) {
        if (ref.equals("default")) ref = "bridge";
        Network n = byName(ref);
        if (n != null) return n;
        n = networks.get(ref);
        if (n != null) return n;
        List<Network> prefixed = new ArrayList<>();
        for (Network x : networks.values()) if (x.id().startsWith(ref)) prefixed.add(x);
        if (prefixed.size() == 1) return prefixed.getFirst();
        if (prefixed.size() > 1) throw new BerthException.InvalidArgument("network " + ref + " is ambiguous (" + prefixed.size() + " matches found based on ID prefix)");
        throw new BerthException.NotFound("network " + ref + " not found");
    }

    private void save(Network n) throws IOException {
        AtomicFiles.write(options.dataDir().resolve(n.id() + ".json"), Json.plain().writeValueAsBytes(n));
        networks.put(n.id(), n);
    }

    private void store(ContainerNet cn) {
        cnets.put(cn.containerId(), cn);
        try {
            AtomicFiles.write(options.dataDir().resolve("containers").resolve(cn.containerId() + ".json"), Json.plain().writeValueAsBytes(cn));
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot save the network state of " + cn.containerId() + ": " + e.getMessage(), e);
        }
    }

    private static String gatewayCidr(Network n) { return n.gateway() + "/" + n.cidr().bits(); }

    private static Map<String, String> attrs(Network n) {
        Map<String, String> a = new HashMap<>();
        a.put("name", n.name());
        a.put("type", n.driver());
        return a;
    }

    private static Map<String, String> attrs(Network n, String container) {
        Map<String, String> a = attrs(n);
        a.put("container", container);
        return a;
    }

    private static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String sha(String s) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String now() { return Instant.now().toString(); }

    /** For tests and the unused-parameter lint of {@link BiFunction}-style callers. */
    int endpointCount() { return cnets.values().stream().mapToInt(cn -> cn.endpoints().size()).sum(); }
}
