package io.berth.engine.volume;

/**
 * One mount of a container as Docker records it ({@code MountPoint}): {@code type} is volume, bind or
 * tmpfs; {@code name} and {@code driver} are set for volumes, {@code source} is the host path (the
 * volume's {@code _data} for volumes, empty for tmpfs); {@code tmpfsData} holds the tmpfs mount data
 * ({@code size=…,mode=…}); {@code copyData} asks for copy-up of the image's content into an empty volume;
 * {@code subpath} is the path inside a named volume that is mounted instead of its root (API 1.45's
 * {@code VolumeOptions.Subpath}; null for the whole volume).
 */
public record MountPoint(String type, String name, String source, String destination, String driver, String mode, boolean rw,
                         String propagation, boolean copyData, String tmpfsData, boolean nonRecursive, String subpath) {

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isVolume() { return "volume".equals(type); }

    /** The entry of {@code Mounts} in container inspect and list, with Docker's keys. */
    public io.berth.api.container.MountPoint describe() {
        return new io.berth.api.container.MountPoint(type, isVolume() ? name : null, source == null ? "" : source, destination,
                isVolume() ? driver : null, mode == null ? "" : mode, rw, propagation == null ? "" : propagation);
    }

    MountPoint withSource(String s) {
        return new MountPoint(type, name, s, destination, driver, mode, rw, propagation, copyData, tmpfsData, nonRecursive, subpath);
    }

    MountPoint withName(String n) {
        return new MountPoint(type, n, source, destination, driver, mode, rw, propagation, copyData, tmpfsData, nonRecursive, subpath);
    }
}
