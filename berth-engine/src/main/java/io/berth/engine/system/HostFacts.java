package io.berth.engine.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Facts about the host read once from /proc, /sys and /etc, for /info and /version. */
public record HostFacts(String kernelVersion, String operatingSystem, String osVersion, String hostname, int cpus, long memTotal,
                        String cgroupVersion, String cgroupDriver, String backingFs, boolean swapLimit, boolean ipv4Forwarding) {

    /** Reads the facts; {@code dataRoot} is where the backing file system is looked up. */
    /** The machine as {@code uname -m} names it ({@code docker info}'s Architecture). */
    public static String architecture() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    public static HostFacts read(Path dataRoot) {
        String prettyName = "Linux";
        String versionId = "";
        for (String line : lines(Path.of("/etc/os-release"))) {
            if (line.startsWith("PRETTY_NAME=")) prettyName = unquote(line.substring(12));
            if (line.startsWith("VERSION_ID=")) versionId = unquote(line.substring(11));
        }
        long mem = 0;
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) mem = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        String hostname = lines(Path.of("/proc/sys/kernel/hostname")).stream().findFirst().orElse("localhost");
        boolean unified = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        return new HostFacts(System.getProperty("os.version"), prettyName, versionId, hostname,
                Runtime.getRuntime().availableProcessors(), mem, unified ? "2" : "1", "cgroupfs", // runc gets cgroupfs paths (/berth/<id>), never --systemd-cgroup
                backingFs(dataRoot), unified || Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")),
                lines(Path.of("/proc/sys/net/ipv4/ip_forward")).stream().findFirst().orElse("0").strip().equals("1"));
    }

    private static String backingFs(Path dataRoot) {
        try {
            String type = Files.getFileStore(dataRoot).type();
            return type.equals("ext4") || type.equals("ext3") || type.equals("ext2") ? "extfs" : type;
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
