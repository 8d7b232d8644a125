package io.berth.registry;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a registry runs: where it listens, its storage root, the largest manifest it accepts, how long an idle upload
 * lives, and how long a blob counts as recently wanted for the online garbage collector.
 */
public record RegistryConfig(InetSocketAddress address, Path root, int maxManifestBytes, Duration uploadExpiry,
                             Duration gcGrace) {
    public static final int DEFAULT_MAX_MANIFEST = 4 * 1024 * 1024;

    /** Defaults: 4 MiB manifests, uploads expire after an hour idle, blobs wanted in the last hour survive GC. */
    public static RegistryConfig of(InetSocketAddress address, Path root) {
        return new RegistryConfig(address, root, DEFAULT_MAX_MANIFEST, Duration.ofHours(1), Duration.ofHours(1));
    }
}
