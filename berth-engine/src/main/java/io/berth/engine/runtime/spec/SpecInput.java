package io.berth.engine.runtime.spec;

import io.berth.api.container.ContainerCreateRequest;
import io.berth.api.image.ContainerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link SpecBuilder} needs. {@code imageConfig} may be null (an image without config).
 * {@code extraMounts} are berthd's mounts (binds of /etc/hosts, /etc/hostname, /etc/resolv.conf,
 * volumes, {@code --mount}) already resolved to OCI mounts; {@code namespacePaths} maps an OCI
 * namespace type ({@code network}, {@code ipc}, {@code pid}, {@code uts}) to a path to join
 * ({@code /run/berth/netns/<id>}, {@code /proc/<pid>/ns/ipc} for {@code container:<id>} modes);
 * a namespace of a non-host mode without a path is created new. {@code cgroupsPath} may be null.
 */
public record SpecInput(ContainerConfig imageConfig, ContainerCreateRequest create, String containerId, Path rootfs,
        String hostname, ResolvedUser user, List<MountSpec> extraMounts, Map<String, Path> namespacePaths,
        String cgroupsPath, HostFacts host) {
    public SpecInput {
        extraMounts = extraMounts == null ? List.of() : List.copyOf(extraMounts);
        namespacePaths = namespacePaths == null ? Map.of() : Map.copyOf(namespacePaths);
    }
}
