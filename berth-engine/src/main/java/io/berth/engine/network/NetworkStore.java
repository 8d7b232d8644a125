package io.berth.engine.network;

import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import io.berth.engine.content.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The networking records under {@code <data-root>/networks}: one file per network
 * ({@code <id>.json}) and one per container ({@code containers/<id>.json}), every write atomic,
 * with an in-memory index. Its monitor is the one lock of networking: every change to networks or
 * attachments happens while holding it.
 */
final class NetworkStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Map<String, Network> networks = new ConcurrentHashMap<>();
    private final Map<String, ContainerNet> attachments = new ConcurrentHashMap<>();
    private final Set<String> notDurable = ConcurrentHashMap.newKeySet();

    NetworkStore(Path dir) { this.dir = dir; }

    /** Reads every record on disk. */
    void load() throws IOException {
        Files.createDirectories(dir.resolve("containers"));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                Network n = Json.plain().readValue(p.toFile(), Network.class);
                networks.put(n.id(), n);
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("containers"), "*.json")) {
            for (Path p : ds) {
                ContainerNet cn = Json.plain().readValue(p.toFile(), ContainerNet.class);
                attachments.put(cn.containerId(), cn);
            }
        }
    }

    // ---- networks ----

    Collection<Network> networks() { return networks.values(); }

    /** By ID, null when unknown. */
    Network get(String id) { return networks.get(id); }

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

    boolean isBridge(String networkId) {
        Network n = networks.get(networkId);
        return n != null && n.isBridge();
    }

    /** The bridge of the bridge network whose subnet holds {@code ip}, or null. */
    String bridgeOf(String ip) {
        for (Network n : networks.values()) if (n.isBridge() && n.cidr().contains(Cidr.ip(ip))) return n.bridge();
        return null;
    }

    void save(Network n) throws IOException {
        AtomicFiles.write(dir.resolve(n.id() + ".json"), Json.plain().writeValueAsBytes(n));
        networks.put(n.id(), n);
    }

    void delete(Network n) throws IOException {
        Files.deleteIfExists(dir.resolve(n.id() + ".json"));
        networks.remove(n.id());
    }

    /** Drops a network from memory only (a create that failed before it was saved). */
    void drop(String id) { networks.remove(id); }

    // ---- attachments ----

    Collection<ContainerNet> attachments() { return attachments.values(); }

    /** A container's networking record, null when it has none. */
    ContainerNet attachment(String containerId) { return attachments.get(containerId); }

    /** Replaces a container's record in memory only (a set-up in progress). */
    void put(ContainerNet cn) { attachments.put(cn.containerId(), cn); }

    /** The container's record need not be synced to disk ({@link io.berth.engine.container.Container#durable}). */
    void notDurable(String containerId) { notDurable.add(containerId); }

    /** Replaces a container's record in memory and on disk. */
    void store(ContainerNet cn) {
        attachments.put(cn.containerId(), cn);
        try {
            AtomicFiles.write(dir.resolve("containers").resolve(cn.containerId() + ".json"), Json.plain().writeValueAsBytes(cn),
                    !notDurable.contains(cn.containerId()));
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot save the network state of " + cn.containerId() + ": " + e.getMessage(), e);
        }
    }

    void forget(String containerId) throws IOException {
        attachments.remove(containerId);
        notDurable.remove(containerId);
        Files.deleteIfExists(dir.resolve("containers").resolve(containerId + ".json"));
    }

    /** Whether any container has a live endpoint (an address and a veth). */
    boolean anyLive() {
        return attachments.values().stream().anyMatch(cn -> cn.endpoints().stream().anyMatch(Endpoint::live));
    }

    /** Every container's published ports. */
    List<PortMapping> ports() {
        List<PortMapping> all = new ArrayList<>();
        for (ContainerNet cn : attachments.values()) all.addAll(cn.ports());
        return all;
    }

    /** A random 64-hex-digit ID, for networks and endpoints. */
    static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
