package io.berth.engine.container;

import io.berth.api.container.ContainerStats;
import io.berth.api.container.ContainerStats.BlkioEntry;
import io.berth.api.container.ContainerStats.BlkioStats;
import io.berth.api.container.ContainerStats.CpuStats;
import io.berth.api.container.ContainerStats.CpuUsage;
import io.berth.api.container.ContainerStats.MemoryStats;
import io.berth.api.container.ContainerStats.PidsStats;
import io.berth.api.container.ContainerStats.StorageStats;
import io.berth.api.container.ContainerStats.ThrottlingData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a container's resource usage from its cgroup, v1 ({@code <root>/<controller>/<path>}) or
 * v2 ({@code <root>/<path>} when {@code <root>} is the unified hierarchy), and renders it in
 * dockerd's stats JSON shape. Missing files read as zero.
 */
final class CgroupStats {
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100; // USER_HZ

    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

    private final Path root;
    private final boolean unified;
    private final String acctController;
    private final String cpuController;
    private final long machineMemory;

    CgroupStats(Path root) {
        this.root = root;
        this.unified = Files.exists(root.resolve("cgroup.controllers"));
        this.acctController = Files.exists(root.resolve("cpuacct")) ? "cpuacct" : "cpu,cpuacct";
        this.cpuController = Files.exists(root.resolve("cpu")) ? "cpu" : "cpu,cpuacct";
        this.machineMemory = machineMemory();
    }

    /** One reading of the counters. */
    record Sample(Instant read, long cpuTotal, List<Long> perCpu, long cpuKernel, long cpuUser, long systemCpu, int onlineCpus,
                  long periods, long throttledPeriods, long throttledTime, long memUsage, long memMaxUsage, long memLimit,
                  Map<String, Long> memStats, long pidsCurrent, long pidsLimit, List<BlkioEntry> ioBytes,
                  List<BlkioEntry> ioOps) {}

    private Path v1(String controller, String path) { return root.resolve(controller).resolve(path); }

    /** The processes in the cgroup. */
    Set<Integer> pids(String path) {
        Set<Integer> out = new HashSet<>();
        List<Path> candidates = unified ? List.of(root.resolve(path)) : List.of(v1("pids", path), v1("memory", path), v1("cpu", path));
        for (Path dir : candidates) {
            try {
                for (String l : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                    if (!l.isBlank()) out.add(Integer.parseInt(l.strip()));
                }
                return out;
            } catch (IOException | NumberFormatException e) {
                // try the next hierarchy
            }
        }
        return out;
    }

    Sample sample(String path) { return sample(path, true); }

    /**
     * A reading of the CPU counters only (the rest zero), for what is only ever precpu: a one-off stats request's
     * first reading needs no memory, pids or I/O counters, half the files.
     */
    Sample cpuSample(String path) { return sample(path, false); }

    private Sample sample(String path, boolean all) {
        Instant now = Instant.now();
        long system = systemCpu();
        int online = Runtime.getRuntime().availableProcessors();
        return unified ? sampleV2(root.resolve(path), now, system, online, all) : sampleV1(path, now, system, online, all);
    }

    private Sample sampleV1(String path, Instant now, long system, int online, boolean all) {
        Path acct = v1(acctController, path);
        Path cpu = v1(cpuController, path);
        long total = readLong(acct.resolve("cpuacct.usage"));
        List<Long> per = new ArrayList<>();
        for (String s : SPACES.split(readString(acct.resolve("cpuacct.usage_percpu")).trim())) {
            if (!s.isEmpty()) per.add(parse(s));
        }
        Map<String, Long> acctStat = keyValues(acct.resolve("cpuacct.stat"));
        Map<String, Long> cpuStat = keyValues(cpu.resolve("cpu.stat"));
        if (!all) {
            return new Sample(now, total, per, acctStat.getOrDefault("system", 0L) * NANOS_PER_TICK,
                    acctStat.getOrDefault("user", 0L) * NANOS_PER_TICK, system, online,
                    cpuStat.getOrDefault("nr_periods", 0L), cpuStat.getOrDefault("nr_throttled", 0L),
                    cpuStat.getOrDefault("throttled_time", 0L), 0, 0, 0, Map.of(), 0, 0, List.of(), List.of());
        }
        Path mem = v1("memory", path);
        Map<String, Long> memStats = keyValues(mem.resolve("memory.stat"));
        long limit = readLong(mem.resolve("memory.limit_in_bytes"));
        long machine = machineMemory;
        if (machine > 0 && (limit <= 0 || limit > machine)) limit = machine;
        Path pids = v1("pids", path);
        long pidsLimit = readLong(pids.resolve("pids.max"));
        Path blk = v1("blkio", path);
        return new Sample(now, total, per, acctStat.getOrDefault("system", 0L) * NANOS_PER_TICK,
                acctStat.getOrDefault("user", 0L) * NANOS_PER_TICK, system, online,
                cpuStat.getOrDefault("nr_periods", 0L), cpuStat.getOrDefault("nr_throttled", 0L),
                cpuStat.getOrDefault("throttled_time", 0L), readLong(mem.resolve("memory.usage_in_bytes")),
                readLong(mem.resolve("memory.max_usage_in_bytes")), limit, memStats, readLong(pids.resolve("pids.current")),
                pidsLimit, blkio(blk.resolve("blkio.throttle.io_service_bytes_recursive")),
                blkio(blk.resolve("blkio.throttle.io_serviced_recursive")));
    }

    private Sample sampleV2(Path dir, Instant now, long system, int online, boolean all) {
        Map<String, Long> cpu = keyValues(dir.resolve("cpu.stat"));
        if (!all) {
            return new Sample(now, cpu.getOrDefault("usage_usec", 0L) * 1000, null, cpu.getOrDefault("system_usec", 0L) * 1000,
                    cpu.getOrDefault("user_usec", 0L) * 1000, system, online, cpu.getOrDefault("nr_periods", 0L),
                    cpu.getOrDefault("nr_throttled", 0L), cpu.getOrDefault("throttled_usec", 0L) * 1000,
                    0, 0, 0, Map.of(), 0, 0, List.of(), List.of());
        }
        Map<String, Long> memStats = keyValues(dir.resolve("memory.stat"));
        long limit = readLong(dir.resolve("memory.max"));
        long machine = machineMemory;
        if (machine > 0 && (limit <= 0 || limit > machine)) limit = machine;
        List<BlkioEntry> bytes = new ArrayList<>();
        List<BlkioEntry> ops = new ArrayList<>();
        for (String line : readString(dir.resolve("io.stat")).split("\n")) {
            String[] f = SPACES.split(line.trim());
            if (f.length < 2 || !f[0].contains(":")) continue;
            String[] mm = f[0].split(":");
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=");
                if (kv.length != 2) continue;
                switch (kv[0]) {
                    case "rbytes" -> bytes.add(entry(mm, "read", parse(kv[1])));
                    case "wbytes" -> bytes.add(entry(mm, "write", parse(kv[1])));
                    case "rios" -> ops.add(entry(mm, "read", parse(kv[1])));
                    case "wios" -> ops.add(entry(mm, "write", parse(kv[1])));
                    default -> { }
                }
            }
        }
        return new Sample(now, cpu.getOrDefault("usage_usec", 0L) * 1000, null, cpu.getOrDefault("system_usec", 0L) * 1000,
                cpu.getOrDefault("user_usec", 0L) * 1000, system, online, cpu.getOrDefault("nr_periods", 0L),
                cpu.getOrDefault("nr_throttled", 0L), cpu.getOrDefault("throttled_usec", 0L) * 1000,
                readLong(dir.resolve("memory.current")), 0, limit, memStats, readLong(dir.resolve("pids.current")),
                readLong(dir.resolve("pids.max")), bytes, ops);
    }

    private static BlkioEntry entry(String[] mm, String op, long value) {
        return new BlkioEntry(parse(mm[0]), parse(mm[1]), op, value);
    }

    private static List<BlkioEntry> blkio(Path f) {
        List<BlkioEntry> out = new ArrayList<>();
        for (String line : readString(f).split("\n")) {
            String[] p = SPACES.split(line.trim());
            if (p.length != 3 || !p[0].contains(":")) continue;
            out.add(entry(p[0].split(":"), p[1], parse(p[2])));
        }
        return out;
    }

    /** The stats object dockerd writes for one reading, with {@code pre} as precpu (null: zeros). */
    ContainerStats render(String id, String name, Sample s, Sample pre) {
        var pids = new PidsStats(s.pidsCurrent(), s.pidsLimit() > 0 ? s.pidsLimit() : null);
        var blk = new BlkioStats(s.ioBytes().isEmpty() ? null : s.ioBytes(), s.ioOps().isEmpty() ? null : s.ioOps(),
                null, null, null, null, null, null);
        var mem = new MemoryStats(s.memUsage(), s.memMaxUsage() > 0 ? s.memMaxUsage() : null, s.memStats(), s.memLimit());
        return new ContainerStats(s.read().toString(), pre == null ? ContainerStats.ZERO_TIME : pre.read().toString(), pids, blk, 0,
                StorageStats.EMPTY, cpu(s), pre == null ? CpuStats.ZERO : cpu(pre), mem, name, id, null);
    }

    private static CpuStats cpu(Sample s) {
        var usage = new CpuUsage(s.cpuTotal(), s.perCpu() != null && !s.perCpu().isEmpty() ? s.perCpu() : null, s.cpuKernel(),
                s.cpuUser());
        return new CpuStats(usage, s.systemCpu(), s.onlineCpus(),
                new ThrottlingData(s.periods(), s.throttledPeriods(), s.throttledTime()));
    }

    /** The all-zero object dockerd sends for a container that is not running. */
    static ContainerStats empty(String id, String name) {
        return new ContainerStats(ContainerStats.ZERO_TIME, ContainerStats.ZERO_TIME, PidsStats.EMPTY, BlkioStats.EMPTY, 0,
                StorageStats.EMPTY, CpuStats.ZERO, CpuStats.ZERO, MemoryStats.EMPTY, name, id, null);
    }

    /** Host CPU time in nanoseconds: the sum of /proc/stat's first line (as dockerd's getSystemCPUUsage). */
    static long systemCpu() {
        String first = readString(Path.of("/proc/stat")).lines().findFirst().orElse("");
        String[] f = SPACES.split(first.trim());
        if (f.length < 8 || !f[0].equals("cpu")) return 0;
        long ticks = 0;
        for (int i = 1; i < 8; i++) ticks += parse(f[i]);
        return ticks * NANOS_PER_TICK;
    }

    private static long machineMemory() {
        for (String l : readString(Path.of("/proc/meminfo")).split("\n")) {
            if (l.startsWith("MemTotal:")) {
                String[] f = SPACES.split(l.trim());
                return parse(f[1]) * 1024;
            }
        }
        return 0;
    }

    private static Map<String, Long> keyValues(Path f) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : readString(f).split("\n")) {
            String[] p = SPACES.split(line.trim());
            if (p.length == 2) m.put(p[0], parse(p[1]));
        }
        return m;
    }

    private static long readLong(Path f) {
        String s = readString(f).strip();
        return s.isEmpty() || s.equals("max") ? 0 : parse(s);
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return new java.math.BigInteger(s).min(java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue();
            } catch (NumberFormatException e2) {
                return 0;
            }
        }
    }

    private static String readString(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }
}
