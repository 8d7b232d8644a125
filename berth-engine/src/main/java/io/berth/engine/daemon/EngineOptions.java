package io.berth.engine.daemon;

import io.berth.engine.distribution.RegistryOptions;
import io.berth.engine.runtime.Runtimes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the engine needs from berthd's flags and daemon.json.
 *
 * @param dataRoot persistent state (--data-root)
 * @param execRoot runtime state: sockets, bundles, pid files (--exec-root)
 * @param labels   daemon labels shown by /info
 * @param debug    --debug / log-level debug
 * @param runtimes       runtimes added to the stock ones (--add-runtime, daemon.json {@code runtimes})
 * @param defaultRuntime --default-runtime; null: crun where it is installed, else runc
 * @param registry registry mirrors, insecure registries, concurrency, TLS files (defaults: certs under
 *                 {@code <data-root>/certs.d})
 * @param favorCgroupDynmods remount cgroup2 with {@code favordynmods} after the start ({@code --cgroup-favordynmods},
 *                 default true; see {@link io.berth.engine.runtime.CgroupDynmods})
 */
public record EngineOptions(Path dataRoot, Path execRoot, List<String> labels, boolean debug, Map<String, Runtimes.Added> runtimes,
                            String defaultRuntime, String bridge, String bip, RegistryOptions registry,
                            boolean favorCgroupDynmods) {
    public static final String DEFAULT_BRIDGE = "berth0";

    public EngineOptions(Path dataRoot, Path execRoot, List<String> labels, boolean debug) {
        this(dataRoot, execRoot, labels, debug, Map.of(), null, DEFAULT_BRIDGE, null, null, true);
    }

    /** With runtimes added to runc and crun, and the default one (null: crun where installed, else runc). */
    public EngineOptions withRuntimes(Map<String, Runtimes.Added> added, String defaultName) {
        return new EngineOptions(dataRoot, execRoot, labels, debug, added, defaultName, bridge, bip, registry, favorCgroupDynmods);
    }

    /** With the default bridge's name ({@code --bridge}) and address ({@code --bip}, null for a free pool). */
    public EngineOptions withNetwork(String bridgeName, String bipCidr) {
        return new EngineOptions(dataRoot, execRoot, labels, debug, runtimes, defaultRuntime, bridgeName, bipCidr, registry, favorCgroupDynmods);
    }

    /** With registry settings from the flags and daemon.json. */
    public EngineOptions withRegistry(RegistryOptions r) {
        return new EngineOptions(dataRoot, execRoot, labels, debug, runtimes, defaultRuntime, bridge, bip, r, favorCgroupDynmods);
    }

    /** With or without the cgroup2 {@code favordynmods} remount ({@code --cgroup-favordynmods}). */
    public EngineOptions withCgroupFavorDynmods(boolean favor) {
        return new EngineOptions(dataRoot, execRoot, labels, debug, runtimes, defaultRuntime, bridge, bip, registry, favor);
    }

    public EngineOptions {
        dataRoot = dataRoot.toAbsolutePath().normalize();
        execRoot = execRoot.toAbsolutePath().normalize();
        labels = List.copyOf(labels);
        runtimes = Map.copyOf(runtimes);
        if (bridge == null || bridge.isEmpty()) bridge = DEFAULT_BRIDGE;
        if (registry == null) registry = RegistryOptions.defaults(dataRoot.resolve("certs.d"));
    }
}
