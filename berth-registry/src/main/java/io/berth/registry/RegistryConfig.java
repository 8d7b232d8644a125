package io.berth.registry;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a registry runs: where it listens, its storage root, the largest manifest it accepts, how long an idle upload
 * lives, how long a blob counts as recently wanted for the online garbage collector, and (both or neither) the PEM
 * certificate chain and key to serve TLS with.
 */
public record RegistryConfig(InetSocketAddress address, Path root, int maxManifestBytes, Duration uploadExpiry,
                             Duration gcGrace, Path tlsCert, Path tlsKey) {
    public static final int DEFAULT_MAX_MANIFEST = 4 * 1024 * 1024;

    /** Defaults: 4 MiB manifests, uploads expire after an hour idle, blobs wanted in the last hour survive GC. */
    public static RegistryConfig of(InetSocketAddress address, Path root) {
        return new RegistryConfig(address, root, DEFAULT_MAX_MANIFEST, Duration.ofHours(1), Duration.ofHours(1));
    }

    public RegistryConfig(InetSocketAddress address, Path root, int maxManifestBytes, Duration uploadExpiry, Duration gcGrace) {
        this(address, root, maxManifestBytes, uploadExpiry, gcGrace, null, null);
    }

    /** {@code HOST:PORT} ({@code [v6]:PORT}, {@code :PORT} for every address); IllegalArgumentException otherwise. */
    public static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            if (colon < 0) throw new NumberFormatException();
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not HOST:PORT: " + hostPort);
        }
    }

    /** The same, served with TLS from {@code cert} and {@code key} (nulls: plain TCP). */
    public RegistryConfig withTls(Path cert, Path key) {
        return new RegistryConfig(address, root, maxManifestBytes, uploadExpiry, gcGrace, cert, key);
    }
}
