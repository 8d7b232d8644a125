package io.berth.engine.container;

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

    private final Path root;
    private final boolean unified;

    CgroupStats(Path root) {
        this.root = root;
        this.unified = Files.exists(root.resolve("cgroup.controllers"));
    }

    /** One reading of the counters. */
    record Sample(Instant read, long cpuTotal, List<Long> perCpu, long cpuKernel, long cpuUser, long systemCpu, int onlineCpus,
                  long periods, long throttledPeriods, long throttledTime, long memUsage, long memMaxUsage, long memLimit,
                  Map<String, Long> memStats, long pidsCurrent, long pidsLimit, List<Map<String, Object>> ioBytes,
                  List<Map<String, Object>> ioOps) {}

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

    Sample sample(String path) {
        Instant now = Instant.now();
        long system = systemCpu();
        int online = Runtime.getRuntime().availableProcessors();
        return unified ? sampleV2(root.resolve(path), now, system, online) : sampleV1(path, now, system, online);
    }

    private Sample sampleV1(String path, Instant now, long system, int online) {
        Path acct = Files.exists(root.resolve("cpuacct")) ? v1("cpuacct", path) : v1("cpu,cpuacct", path);
        Path cpu = Files.exists(root.resolve("cpu")) ? v1("cpu", path) : v1("cpu,cpuacct", path);
        long total = readLong(acct.resolve("cpuacct.usage"));
        List<Long> per = new ArrayList<>();
        for (String s : readString(acct.resolve("cpuacct.usage_percpu")).trim().split("\\s+")) {
            if (!s.isEmpty()) per.add(parse(s));
        }
        Map<String, Long> acctStat = keyValues(acct.resolve("cpuacct.stat"));
        Map<String, Long> cpuStat = keyValues(cpu.resolve("cpu.stat"));
        Path mem = v1("memory", path);
        Map<String, Long> memStats = keyValues(mem.resolve("memory.stat"));
        long limit = readLong(mem.resolve("memory.limit_in_bytes"));
        long machine = machineMemory();
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

    private Sample sampleV2(Path dir, Instant now, long system, int online) {
        Map<String, Long> cpu = keyValues(dir.resolve("cpu.stat"));
        Map<String, Long> memStats = keyValues(dir.resolve("memory.stat"));
        long limit = readLong(dir.resolve("memory.max"));
        long machine = machineMemory();
        if (machine > 0 && (limit <= 0 || limit > machine)) limit = machine;
        List<Map<String, Object>> bytes = new ArrayList<>();
        List<Map<String, Object>> ops = new ArrayList<>();
        for (String line : readString(dir.resolve("io.stat")).split("\n")) {
            String[] f = line.trim().split("\\s+");
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

    private static Map<String, Object> entry(String[] mm, String op, long value) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("major", parse(mm[0]));
        e.put("minor", parse(mm[1]));
        e.put("op", op);
        e.put("value", value);
        return e;
    }

    private static List<Map<String, Object>> blkio(Path f) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : readString(f).split("\n")) {
            String[] p = line.trim().split("\\s+");
            if (p.length != 3 || !p[0].contains(":")) continue;
            out.add(entry(p[0].split(":"), p[1], parse(p[2])));
        }
        return out;
    }

    /** The stats object dockerd writes for one reading, with {@code pre} as precpu (null: zeros). */
    Map<String, Object> render(String id, String name, Sample s, Sample pre) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read", s.read().toString());
        m.put("preread", pre == null ? "0001-01-01T00:00:00Z" : pre.read().toString());
        Map<String, Object> pids = new LinkedHashMap<>();
        pids.put("current", s.pidsCurrent());
        if (s.pidsLimit() > 0) pids.put("limit", s.pidsLimit());
        m.put("pids_stats", pids);
        Map<String, Object> blk = new LinkedHashMap<>();
        blk.put("io_service_bytes_recursive", s.ioBytes().isEmpty() ? null : s.ioBytes());
        blk.put("io_serviced_recursive", s.ioOps().isEmpty() ? null : s.ioOps());
        for (String k : List.of("io_queue_recursive", "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive",
                "io_time_recursive", "sectors_recursive")) {
            blk.put(k, null);
        }
        m.put("blkio_stats", blk);
        m.put("num_procs", 0);
        m.put("storage_stats", Map.of());
        m.put("cpu_stats", cpu(s));
        m.put("precpu_stats", pre == null ? emptyCpu() : cpu(pre));
        Map<String, Object> mem = new LinkedHashMap<>();
        mem.put("usage", s.memUsage());
        if (s.memMaxUsage() > 0) mem.put("max_usage", s.memMaxUsage());
        mem.put("stats", s.memStats());
        mem.put("limit", s.memLimit());
        m.put("memory_stats", mem);
        m.put("name", name);
        m.put("id", id);
        return m;
    }

    private static Map<String, Object> cpu(Sample s) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", s.cpuTotal());
        if (s.perCpu() != null && !s.perCpu().isEmpty()) usage.put("percpu_usage", s.perCpu());
        usage.put("usage_in_kernelmode", s.cpuKernel());
        usage.put("usage_in_usermode", s.cpuUser());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cpu_usage", usage);
        c.put("system_cpu_usage", s.systemCpu());
        c.put("online_cpus", s.onlineCpus());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("periods", s.periods());
        t.put("throttled_periods", s.throttledPeriods());
        t.put("throttled_time", s.throttledTime());
        c.put("throttling_data", t);
        return c;
    }

    private static Map<String, Object> emptyCpu() {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", 0);
        usage.put("usage_in_kernelmode", 0);
        usage.put("usage_in_usermode", 0);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("periods", 0);
        t.put("throttled_periods", 0);
        t.put("throttled_time", 0);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cpu_usage", usage);
        c.put("throttling_data", t);
        return c;
    }

    /** The all-zero object dockerd sends for a container that is not running. */
    static Map<String, Object> empty(String id, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read", "0001-01-01T00:00:00Z");
        m.put("preread", "0001-01-01T00:00:00Z");
        m.put("pids_stats", Map.of());
        Map<String, Object> blk = new LinkedHashMap<>();
        for (String k : List.of("io_service_bytes_recursive", "io_serviced_recursive", "io_queue_recursive", "io_service_time_recursive",
                "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive", "sectors_recursive")) {
            blk.put(k, null);
        }
        m.put("blkio_stats", blk);
        m.put("num_procs", 0);
        m.put("storage_stats", Map.of());
        m.put("cpu_stats", emptyCpu());
        m.put("precpu_stats", emptyCpu());
        m.put("memory_stats", Map.of());
        m.put("name", name);
        m.put("id", id);
        return m;
    }

    /** Host CPU time in nanoseconds: the sum of /proc/stat's first line (as dockerd's getSystemCPUUsage). */
    static long systemCpu() {
        String first = readString(Path.of("/proc/stat")).lines().findFirst().orElse("");
        String[] f = first.trim().split("\\s+");
        if (f.length < 8 || !f[0].equals("cpu")) return 0;
        long ticks = 0;
        for (int i = 1; i < 8; i++) ticks += parse(f[i]);
        return ticks * NANOS_PER_TICK;
    }

    private static long machineMemory() {
        for (String l : readString(Path.of("/proc/meminfo")).split("\n")) {
            if (l.startsWith("MemTotal:")) {
                String[] f = l.trim().split("\\s+");
                return parse(f[1]) * 1024;
            }
        }
        return 0;
    }

    private static Map<String, Long> keyValues(Path f) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : readString(f).split("\n")) {
            String[] p = line.trim().split("\\s+");
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
