package io.berth.engine.runtime.spec;

/** A device node to create in the container ({@code linux.devices} entry); type is c, b or p. */
public record LinuxDevice(String path, String type, long major, long minor, int fileMode, int uid, int gid) {
    /** The same device at another path inside the container. */
    public LinuxDevice at(String containerPath) {
        return new LinuxDevice(containerPath, type, major, minor, fileMode, uid, gid);
    }
}
