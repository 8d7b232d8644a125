package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.Json;
import io.berth.api.container.ContainerStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The wire JSON of stats and top, key for key as dockerd writes it (and as Berth wrote it before they became records). */
class ResourceJsonShapeTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00.123456789Z");
    private static final Instant T1 = Instant.parse("2026-11-30T08:00:01Z");

    private static String wire(Object o) throws Exception { return Json.wire().writeValueAsString(o); }

    private static ContainerStats.BlkioEntry io(long major, long minor, String op, long value) {
        return new ContainerStats.BlkioEntry(major, minor, op, value);
    }

    static CgroupStats.Sample v1(Instant at) {
        return new CgroupStats.Sample(at, 300, List.of(100L, 200L), 40, 50, 9000, 2, 3, 1, 7, 1024, 2048, 4096,
                Map.of("cache", 5L), 4, 100, List.of(io(8, 0, "read", 512), io(8, 0, "write", 1024)), List.of());
    }

    static CgroupStats.Sample v2(Instant at) {
        return new CgroupStats.Sample(at, 600, null, 10, 20, 8000, 2, 0, 0, 0, 1000, 0, 5000, Map.of("anon", 6L), 1, 0,
                List.of(), List.of(io(259, 1, "read", 2)));
    }

    @Test void statsWithPrecpuKeepDockerdsShape() throws Exception {
        var cg = new CgroupStats(java.nio.file.Path.of("/nonexistent"));
        assertThat(wire(cg.render("abc", "/web", v1(T1), v2(T0)))).isEqualTo("""
                {"read":"2026-11-30T08:00:01Z","preread":"2026-11-30T08:00:00.123456789Z","pids_stats":{"current":4,"limit":100},"blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"read","value":512},{"major":8,"minor":0,"op":"write","value":1024}],"io_serviced_recursive":null,"io_queue_recursive":null,"io_service_time_recursive":null,"io_wait_time_recursive":null,"io_merged_recursive":null,"io_time_recursive":null,"sectors_recursive":null},"num_procs":0,"storage_stats":{},"cpu_stats":{"cpu_usage":{"total_usage":300,"percpu_usage":[100,200],"usage_in_kernelmode":40,"usage_in_usermode":50},"system_cpu_usage":9000,"online_cpus":2,"throttling_data":{"periods":3,"throttled_periods":1,"throttled_time":7}},"precpu_stats":{"cpu_usage":{"total_usage":600,"usage_in_kernelmode":10,"usage_in_usermode":20},"system_cpu_usage":8000,"online_cpus":2,"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"memory_stats":{"usage":1024,"max_usage":2048,"stats":{"cache":5},"limit":4096},"name":"/web","id":"abc"}""");
    }

    @Test void firstStatsHaveZeroPrecpu() throws Exception {
        var cg = new CgroupStats(java.nio.file.Path.of("/nonexistent"));
        assertThat(wire(cg.render("abc", "/web", v2(T1), null))).isEqualTo("""
                {"read":"2026-11-30T08:00:01Z","preread":"0001-01-01T00:00:00Z","pids_stats":{"current":1},"blkio_stats":{"io_service_bytes_recursive":null,"io_serviced_recursive":[{"major":259,"minor":1,"op":"read","value":2}],"io_queue_recursive":null,"io_service_time_recursive":null,"io_wait_time_recursive":null,"io_merged_recursive":null,"io_time_recursive":null,"sectors_recursive":null},"num_procs":0,"storage_stats":{},"cpu_stats":{"cpu_usage":{"total_usage":600,"usage_in_kernelmode":10,"usage_in_usermode":20},"system_cpu_usage":8000,"online_cpus":2,"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"precpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"memory_stats":{"usage":1000,"stats":{"anon":6},"limit":5000},"name":"/web","id":"abc"}""");
    }

    @Test void statsOfAStoppedContainerAreAllZero() throws Exception {
        assertThat(wire(CgroupStats.empty("abc", "/web"))).isEqualTo("""
                {"read":"0001-01-01T00:00:00Z","preread":"0001-01-01T00:00:00Z","pids_stats":{},"blkio_stats":{"io_service_bytes_recursive":null,"io_serviced_recursive":null,"io_queue_recursive":null,"io_service_time_recursive":null,"io_wait_time_recursive":null,"io_merged_recursive":null,"io_time_recursive":null,"sectors_recursive":null},"num_procs":0,"storage_stats":{},"cpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"precpu_stats":{"cpu_usage":{"total_usage":0,"usage_in_kernelmode":0,"usage_in_usermode":0},"throttling_data":{"periods":0,"throttled_periods":0,"throttled_time":0}},"memory_stats":{},"name":"/web","id":"abc"}""");
    }

    @Test void topHasTitlesAndTheContainersRows() throws Exception {
        String ps = "UID PID PPID CMD\nroot 1 0 sleep 100\nroot 7 1 sh -c x\nroot 9 1 other\n";
        assertThat(wire(ContainerResources.parsePs(ps, Set.of(1, 7)))).isEqualTo("""
                {"Titles":["UID","PID","PPID","CMD"],"Processes":[["root","1","0","sleep 100"],["root","7","1","sh -c x"]]}""");
        assertThat(wire(ContainerResources.parsePs("UID PID CMD\n", Set.of()))).isEqualTo("""
                {"Titles":["UID","PID","CMD"],"Processes":[]}""");
    }

    @Test void mountsOfInspectAndPs() throws Exception {
        var vol = new io.berth.engine.volume.MountPoint("volume", "data", "/var/lib/berth/volumes/data/_data", "/srv", "local", "z", true,
                "", true, null, false, null);
        var bind = new io.berth.engine.volume.MountPoint("bind", null, "/host", "/c", null, "ro", false, "rshared", false, null, false, null);
        var tmpfs = new io.berth.engine.volume.MountPoint("tmpfs", null, "", "/t", null, null, true, null, false, "size=1m", false, null);
        assertThat(wire(List.of(vol.describe(), bind.describe(), tmpfs.describe()))).isEqualTo("""
                [{"Type":"volume","Name":"data","Source":"/var/lib/berth/volumes/data/_data","Destination":"/srv","Driver":"local","Mode":"z","RW":true,"Propagation":""},{"Type":"bind","Source":"/host","Destination":"/c","Mode":"ro","RW":false,"Propagation":"rshared"},{"Type":"tmpfs","Source":"","Destination":"/t","Mode":"","RW":true,"Propagation":""}]""");
    }
}
