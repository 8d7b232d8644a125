package io.berth.engine.daemon;

import io.berth.engine.distribution.RegistryOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * What the engine needs from berthd's flags and daemon.json.
 *
 * @param dataRoot persistent state (--data-root)
 * @param execRoot runtime state: sockets, bundles, pid files (--exec-root)
 * @param labels   daemon labels shown by /info
 * @param debug    --debug / log-level debug
 * @param runtime  the OCI runtime binary (--default-runtime), looked up on PATH: runc by default
 * @param registry registry mirrors, insecure registries, concurrency, TLS files (defaults: certs under
 *                 {@code <data-root>/certs.d})
 */
public record EngineOptions(Path dataRoot, Path execRoot, List<String> labels, boolean debug, String runtime, String bridge,
                            String bip, RegistryOptions registry) {
    public static final String DEFAULT_BRIDGE = "berth0";

    public EngineOptions(Path dataRoot, Path execRoot, List<String> labels, boolean debug) {
        this(dataRoot, execRoot, labels, debug, "runc");
    }

    public EngineOptions(Path dataRoot, Path execRoot, List<String> labels, boolean debug, String runtime) {
        this(dataRoot, execRoot, labels, debug, runtime, DEFAULT_BRIDGE, null, null);
    }

    /** With the default bridge's name ({@code --bridge}) and address ({@code --bip}, null for a free pool). */
    public EngineOptions withNetwork(String bridgeName, String bipCidr) {
        return new EngineOptions(dataRoot, execRoot, labels, debug, runtime, bridgeName, bipCidr, registry);
    }

    /** With registry settings from the flags and daemon.json. */
    public EngineOptions withRegistry(RegistryOptions r) {
        return new EngineOptions(dataRoot, execRoot, labels, debug, runtime, bridge, bip, r);
    }

    public EngineOptions {
        dataRoot = dataRoot.toAbsolutePath().normalize();
        execRoot = execRoot.toAbsolutePath().normalize();
        labels = List.copyOf(labels);
        if (bridge == null || bridge.isEmpty()) bridge = DEFAULT_BRIDGE;
        if (registry == null) registry = RegistryOptions.defaults(dataRoot.resolve("certs.d"));
    }
}
