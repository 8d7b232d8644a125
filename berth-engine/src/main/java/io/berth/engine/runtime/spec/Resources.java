package io.berth.engine.runtime.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.container.HostConfig;
import io.berth.api.errors.BerthException;

/**
 * {@code linux.resources} from a HostConfig, after Docker's checks
 * ({@code daemon/daemon_unix.go verifyPlatformContainerResources}) with Docker's messages.
 */
public final class Resources {
    public static final long CFS_PERIOD = 100_000;

    private Resources() {}

    private static long v(Long x) { return x == null ? 0 : x; }

    /** Validates and converts; the result has no {@code devices} (the spec builder adds them). */
    public static ObjectNode build(HostConfig hc, HostFacts host) {
        long memory = v(hc.memory()), swap = v(hc.memorySwap()), reservation = v(hc.memoryReservation());
        if (memory < 0) throw invalid("invalid memory limit: " + memory);
        if (memory != 0 && memory < SpecBuilder.MIN_MEMORY) throw invalid("Minimum memory limit allowed is 6MB");
        if (memory > 0 && swap > 0 && swap < memory) {
            throw invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memory == 0 && swap > 0) {
            throw invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (hc.memorySwappiness() != null && hc.memorySwappiness() != -1
                && (hc.memorySwappiness() < 0 || hc.memorySwappiness() > 100)) {
            throw invalid("Invalid value: " + hc.memorySwappiness() + ", valid memory swappiness range is 0-100");
        }
        if (reservation > 0 && reservation < SpecBuilder.MIN_MEMORY) {
            throw invalid("Minimum memory reservation allowed is 6MB");
        }
        if (memory > 0 && reservation > 0 && memory < reservation) {
            throw invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        long nano = v(hc.nanoCpus()), period = v(hc.cpuPeriod()), quota = v(hc.cpuQuota());
        if (nano > 0 && period > 0) throw invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (nano > 0 && quota > 0) throw invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        if (nano < 0 || nano > host.cpuCount() * 1_000_000_000L) {
            throw invalid("Range of CPUs is from 0.01 to " + host.cpuCount() + ".00, as there are only "
                    + host.cpuCount() + " CPUs available");
        }
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) throw invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        long shares = v(hc.cpuShares());
        if (shares < 0) throw invalid("shares: invalid argument");
        int blkio = hc.blkioWeight() == null ? 0 : hc.blkioWeight();
        if (blkio > 0 && (blkio < 10 || blkio > 1000)) throw invalid("Range of blkio weight is from 10 to 1000");
        String cpus = hc.cpusetCpus(), mems = hc.cpusetMems();
        if (cpus != null && !cpus.isEmpty() && !cpus.matches("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*")) {
            throw invalid("Invalid value " + cpus + " for cpuset cpus");
        }
        if (mems != null && !mems.isEmpty() && !mems.matches("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*")) {
            throw invalid("Invalid value " + mems + " for cpuset mems");
        }

        ObjectNode r = Json.plain().createObjectNode();
        ObjectNode mem = Json.plain().createObjectNode();
        if (memory > 0) mem.put("limit", memory);
        if (reservation > 0) mem.put("reservation", reservation);
        if (host.swapLimit()) {
            if (swap == -1) mem.put("swap", -1L);
            else if (swap > 0) mem.put("swap", swap);
            else if (memory > 0) mem.put("swap", memory * 2); // Docker's default: as much swap as memory
        }
        if (hc.memorySwappiness() != null && hc.memorySwappiness() >= 0) mem.put("swappiness", hc.memorySwappiness());
        if (Boolean.TRUE.equals(hc.oomKillDisable())) mem.put("disableOOMKiller", true);
        if (!mem.isEmpty()) r.set("memory", mem);

        ObjectNode cpu = Json.plain().createObjectNode();
        if (shares > 0) cpu.put("shares", shares);
        if (nano > 0) {
            cpu.put("quota", nano * CFS_PERIOD / 1_000_000_000L);
            cpu.put("period", CFS_PERIOD);
        } else {
            if (quota != 0) cpu.put("quota", quota);
            if (period != 0) cpu.put("period", period);
        }
        if (v(hc.cpuRealtimeRuntime()) != 0) cpu.put("realtimeRuntime", hc.cpuRealtimeRuntime());
        if (v(hc.cpuRealtimePeriod()) != 0) cpu.put("realtimePeriod", hc.cpuRealtimePeriod());
        if (cpus != null && !cpus.isEmpty()) cpu.put("cpus", cpus);
        if (mems != null && !mems.isEmpty()) cpu.put("mems", mems);
        if (!cpu.isEmpty()) r.set("cpu", cpu);

        // no limit (0 or less) is a new cgroup's own "max": nothing to write (crun writes -1 as it is, which cgroup v1 refuses)
        if (hc.pidsLimit() != null && hc.pidsLimit() > 0) r.putObject("pids").put("limit", hc.pidsLimit());
        if (blkio > 0) r.putObject("blockIO").put("weight", blkio);
        return r;
    }

    private static BerthException.InvalidArgument invalid(String m) { return new BerthException.InvalidArgument(m); }
}
