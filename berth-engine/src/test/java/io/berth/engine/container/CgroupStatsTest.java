package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A v1 cgroup tree made of plain files. */
class CgroupStatsTest {
    @TempDir Path root;

    private void file(String controller, String name, String text) throws IOException {
        Path dir = root.resolve(controller).resolve("berth/c1");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), text);
    }

    private void tree() throws IOException {
        file("cpuacct", "cpuacct.usage", "5000\n");
        file("cpuacct", "cpuacct.usage_percpu", "3000 2000 \n");
        file("cpuacct", "cpuacct.stat", "user 7\nsystem 3\n");
        file("cpu", "cpu.stat", "nr_periods 4\nnr_throttled 1\nthrottled_time 99\n");
        file("memory", "memory.stat", "cache 10\nrss 20\n");
        file("memory", "memory.limit_in_bytes", "67108864\n");
        file("memory", "memory.usage_in_bytes", "4096\n");
        file("memory", "memory.max_usage_in_bytes", "8192\n");
        file("pids", "pids.current", "3\n");
        file("pids", "pids.max", "max\n");
        file("blkio", "blkio.throttle.io_service_bytes_recursive", "8:0 Read 512\n8:0 Write 1024\nTotal 1536\n");
        file("blkio", "blkio.throttle.io_serviced_recursive", "8:0 Read 1\nTotal 1\n");
    }

    @Test
    void aFullReadingHasEveryCounter() throws IOException {
        tree();
        CgroupStats.Sample s = new CgroupStats(root).sample("berth/c1");
        assertThat(s.cpuTotal()).isEqualTo(5000);
        assertThat(s.perCpu()).containsExactly(3000L, 2000L);
        assertThat(s.cpuUser()).isEqualTo(7 * 10_000_000L);
        assertThat(s.throttledTime()).isEqualTo(99);
        assertThat(s.memUsage()).isEqualTo(4096);
        assertThat(s.memLimit()).isEqualTo(67108864);
        assertThat(s.memStats()).containsEntry("rss", 20L);
        assertThat(s.pidsCurrent()).isEqualTo(3);
        assertThat(s.pidsLimit()).isZero();
        assertThat(s.ioBytes()).hasSize(2);
        assertThat(s.ioOps()).hasSize(1);
    }

    @Test
    void aCpuReadingHasOnlyTheCpuCounters() throws IOException {
        tree(); // memory, pids and I/O counters are there, and not read
        CgroupStats.Sample s = new CgroupStats(root).cpuSample("berth/c1");
        assertThat(s.cpuTotal()).isEqualTo(5000);
        assertThat(s.perCpu()).containsExactly(3000L, 2000L);
        assertThat(s.cpuKernel()).isEqualTo(3 * 10_000_000L);
        assertThat(s.periods()).isEqualTo(4);
        assertThat(s.memUsage()).isZero();
        assertThat(s.memStats()).isEmpty();
        assertThat(s.pidsCurrent()).isZero();
        assertThat(s.ioBytes()).isEmpty();
    }
}
