package io.berth.engine.container;

import io.berth.api.container.ContainerStats;
import io.berth.api.container.ContainerStats.NetworkStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code networks} object of stats: each interface of the container's network namespace but
 * {@code lo} (eth0, eth1, …) with its counters, read from {@code /proc/<pid>/net/dev}. Absent, as in
 * dockerd, for a container without a network of its own ({@code --network none}, {@code host},
 * {@code container:…}).
 */
final class NetDevStats {
    private NetDevStats() {}

    /** {@code stats} with the container's networks added (unchanged when it has none). */
    static ContainerStats withNetworks(ContainerStats s, Container c) {
        String mode = c.hostConfig().networkMode() == null ? "" : c.hostConfig().networkMode();
        if (mode.equals("none") || mode.equals("host") || mode.startsWith("container:") || c.state().pid() <= 0) return s;
        Map<String, NetworkStats> nets;
        try {
            nets = parse(Files.readString(Path.of("/proc", Integer.toString(c.state().pid()), "net", "dev")));
        } catch (IOException e) {
            return s; // the process is gone: the container is stopping
        }
        if (nets.isEmpty()) return s;
        return new ContainerStats(s.read(), s.preread(), s.pidsStats(), s.blkioStats(), s.numProcs(), s.storageStats(), s.cpuStats(),
                s.precpuStats(), s.memoryStats(), s.name(), s.id(), nets);
    }

    /**
     * The interfaces of a {@code /proc/net/dev} text but {@code lo}: after the name, 8 receive columns
     * (bytes, packets, errs, drop, …) then 8 transmit columns in the same order.
     */
    static Map<String, NetworkStats> parse(String procNetDev) {
        Map<String, NetworkStats> out = new LinkedHashMap<>();
        for (String line : procNetDev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String name = line.substring(0, colon).strip();
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            if (name.equals("lo") || f.length < 16) continue;
            long[] v = new long[16];
            try {
                for (int i = 0; i < 16; i++) v[i] = Long.parseLong(f[i]);
            } catch (NumberFormatException e) {
                continue; // the header lines
            }
            out.put(name, new NetworkStats(v[0], v[1], v[2], v[3], v[8], v[9], v[10], v[11]));
        }
        return out;
    }
}
