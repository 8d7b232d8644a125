package io.berth.api.container;

import java.util.List;
import java.util.Map;

/** {@code HostConfig.Mounts} entry ({@code --mount}): {@code Type} is bind, volume, tmpfs, npipe or cluster. */
public record Mount(String target, String source, String type, Boolean readOnly, String consistency,
        BindOptions bindOptions, VolumeOptions volumeOptions, TmpfsOptions tmpfsOptions) {

    /** Options of a bind mount; {@code Propagation} is private, rprivate, shared, rshared, slave, rslave. */
    public record BindOptions(String propagation, Boolean nonRecursive, Boolean createMountpoint,
            Boolean readOnlyNonRecursive, Boolean readOnlyForceRecursive) {}

    /** Options of a volume mount. */
    public record VolumeOptions(Boolean noCopy, Map<String, String> labels, Driver driverConfig, String subpath) {}

    /** A volume driver and its options. */
    public record Driver(String name, Map<String, String> options) {}

    /** Options of a tmpfs mount: size in bytes, permission bits, extra flags ({@code [["noexec"]]}). */
    public record TmpfsOptions(Long sizeBytes, Integer mode, List<List<String>> options) {}
}
