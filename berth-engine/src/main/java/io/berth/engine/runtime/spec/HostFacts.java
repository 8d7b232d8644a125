package io.berth.engine.runtime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What berthd knows of its host, constant for the daemon's life: the hard RLIMIT_NOFILE (container
 * defaults never exceed it), whether /sys/fs/cgroup is cgroup v2 (unified; hybrid counts as v1, as
 * in Docker), whether the memory controller can limit swap (else, like Docker, swap limits are
 * dropped), the kernel release and Go-style arch (for seccomp), the CPU count (for {@code --cpus}),
 * the capabilities this daemon holds ("all" for privileged), the default seccomp profile in
 * Docker's format (read at its first use; null: none), the init binary for {@code --init} (null: none) and the host's devices.
 */
public record HostFacts(long nofileHard, boolean cgroupV2, boolean swapLimit, String kernelRelease, String goArch, int cpuCount,
        List<String> capabilities, Supplier<JsonNode> defaultSeccompProfile, Path initBinary, HostDevices devices) {

    public HostFacts {
        capabilities = List.copyOf(capabilities);
    }

    /** Reads the facts of the machine this JVM runs on. */
    public static HostFacts probe(Path initBinary) {
        long nofile = 1048576;
        long capBnd = Capabilities.toMask(Capabilities.ALL_KNOWN);
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (l.startsWith("Max open files")) {
                    String[] f = l.substring("Max open files".length()).trim().split("\\s+");
                    nofile = f[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[1]);
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("CapBnd:")) capBnd = Long.parseUnsignedLong(l.substring(7).trim(), 16);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux or /proc unreadable: keep the defaults
        }
        String kernel = System.getProperty("os.version", "0.0");
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        boolean swap = v2 || Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"));
        return new HostFacts(nofile, v2, swap, kernel, Seccomp.goArch(System.getProperty("os.arch", "amd64")),
                Runtime.getRuntime().availableProcessors(), Capabilities.fromMask(capBnd),
                Seccomp.defaultProfileOnFirstUse(), initBinary, HostDevices.real());
    }
}
