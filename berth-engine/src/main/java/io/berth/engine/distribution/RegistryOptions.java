package io.berth.engine.distribution;

import java.nio.file.Path;
import java.util.List;

/**
 * The daemon's registry settings, with dockerd's names: {@code registry-mirrors} (for Docker Hub names only, tried
 * before the registry itself), {@code insecure-registries} (CIDRs or {@code host[:port]}; loopback always is),
 * {@code max-concurrent-downloads} (3) and {@code max-concurrent-uploads} (5), and the directory holding per-registry
 * TLS files as {@code <certsDir>/<host[:port]>/{ca.crt,client.cert,client.key}}.
 */
public record RegistryOptions(List<String> mirrors, List<String> insecureRegistries, Path certsDir,
                              int maxConcurrentDownloads, int maxConcurrentUploads) {
    public RegistryOptions {
        mirrors = List.copyOf(mirrors);
        insecureRegistries = List.copyOf(insecureRegistries);
    }

    /** dockerd's defaults: no mirrors, only loopback insecure, 3 downloads, 5 uploads. */
    public static RegistryOptions defaults(Path certsDir) {
        return new RegistryOptions(List.of(), List.of(), certsDir, 3, 5);
    }
}
