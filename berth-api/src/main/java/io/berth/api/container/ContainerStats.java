package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * One object of GET /containers/{id}/stats, in dockerd's snake_case keys and order. Times are
 * RFC 3339 with nanoseconds ({@link #ZERO_TIME} when unset); sections dockerd leaves empty for a
 * container that is not running are empty objects.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ContainerStats(
        String read,
        String preread,
        PidsStats pidsStats,
        BlkioStats blkioStats,
        int numProcs,
        StorageStats storageStats,
        CpuStats cpuStats,
        CpuStats precpuStats,
        MemoryStats memoryStats,
        String name,
        String id,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, NetworkStats> networks) {

    /** Go's zero time, as dockerd writes an unset {@code read}/{@code preread}. */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    /** {@code pids_stats}: both absent for a container that is not running, {@code limit} absent when unlimited. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PidsStats(Long current, Long limit) {
        public static final PidsStats EMPTY = new PidsStats(null, null);
    }

    /** {@code blkio_stats}: Berth fills the two throttle lists (null when empty) and leaves the others null. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BlkioStats(
            List<BlkioEntry> ioServiceBytesRecursive,
            List<BlkioEntry> ioServicedRecursive,
            List<BlkioEntry> ioQueueRecursive,
            List<BlkioEntry> ioServiceTimeRecursive,
            List<BlkioEntry> ioWaitTimeRecursive,
            List<BlkioEntry> ioMergedRecursive,
            List<BlkioEntry> ioTimeRecursive,
            List<BlkioEntry> sectorsRecursive) {
        public static final BlkioStats EMPTY = new BlkioStats(null, null, null, null, null, null, null, null);
    }

    /** One counter of one block device ({@code op} is {@code read} or {@code write}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BlkioEntry(long major, long minor, String op, long value) {}

    /** {@code storage_stats} (Windows only in dockerd): always empty. */
    public record StorageStats() {
        public static final StorageStats EMPTY = new StorageStats();
    }

    /** {@code cpu_stats} and {@code precpu_stats}; host totals absent in the zero reading. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CpuStats(
            CpuUsage cpuUsage,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long systemCpuUsage,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer onlineCpus,
            ThrottlingData throttlingData) {
        /** The reading dockerd sends before there is one: zero usage, no host totals. */
        public static final CpuStats ZERO = new CpuStats(new CpuUsage(0, null, 0, 0), null, null, new ThrottlingData(0, 0, 0));
    }

    /** CPU time in nanoseconds; {@code percpu_usage} absent when the cgroup does not count per CPU. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CpuUsage(
            long totalUsage,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Long> percpuUsage,
            long usageInKernelmode,
            long usageInUsermode) {}

    /** CFS throttling counters. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ThrottlingData(long periods, long throttledPeriods, long throttledTime) {}

    /** One interface's counters in {@code networks} (absent when the daemon does not report them, as Berth). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record NetworkStats(long rxBytes, long rxPackets, long rxErrors, long rxDropped, long txBytes, long txPackets, long txErrors,
                               long txDropped) {}

    /** {@code memory_stats}: all absent for a container that is not running; {@code max_usage} absent on cgroup v2. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MemoryStats(Long usage, Long maxUsage, Map<String, Long> stats, Long limit) {
        public static final MemoryStats EMPTY = new MemoryStats(null, null, null, null);
    }
}
