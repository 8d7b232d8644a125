package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupDynmodsTest {
    /** This machine's hybrid layout: v1 controllers, and cgroup2 without controllers at /sys/fs/cgroup/unified. */
    static final String HYBRID = """
            24 30 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            31 24 0:26 / /sys/fs/cgroup rw,relatime shared:8 - tmpfs tmpfs rw,mode=755
            32 31 0:27 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu
            41 31 0:36 / /sys/fs/cgroup/unified rw,relatime shared:18 - cgroup2 cgroup2 rw
            """;
    /** systemd's unified layout: per-mount flags and cgroup2 options that a remount must name again. */
    static final String UNIFIED = """
            35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """;

    record Mount(Path target, long flags, String data) {}

    static Sys recording(List<Mount> mounts, IOException failure) {
        return (Sys) Proxy.newProxyInstance(Sys.class.getClassLoader(), new Class<?>[] {Sys.class}, (proxy, m, args) -> {
            if (!m.getName().equals("mount")) throw new UnsupportedOperationException(m.getName());
            if (failure != null) throw failure;
            mounts.add(new Mount((Path) args[1], (Long) args[3], (String) args[4]));
            return null;
        });
    }

    @Test void hybridHostRemountsTheUnifiedMountKeepingItsOptions() {
        List<Mount> mounts = new ArrayList<>();
        assertThat(CgroupDynmods.favor(recording(mounts, null), HYBRID)).isTrue();
        assertThat(mounts).containsExactly(new Mount(Path.of("/sys/fs/cgroup/unified"), Sys.MS_REMOUNT | (1L << 21), "favordynmods"));
    }

    @Test void unifiedHostKeepsPerMountFlagsAndCgroup2Options() {
        List<Mount> mounts = new ArrayList<>();
        assertThat(CgroupDynmods.favor(recording(mounts, null), UNIFIED)).isTrue();
        assertThat(mounts).containsExactly(new Mount(Path.of("/sys/fs/cgroup"),
                Sys.MS_REMOUNT | Sys.MS_NOSUID | Sys.MS_NODEV | Sys.MS_NOEXEC | (1L << 21),
                "nsdelegate,memory_recursiveprot,favordynmods"));
    }

    @Test void aMountThatFavorsAlreadyIsLeftAlone() {
        List<Mount> mounts = new ArrayList<>();
        String already = UNIFIED.replace("memory_recursiveprot", "memory_recursiveprot,favordynmods");
        assertThat(CgroupDynmods.favor(recording(mounts, null), already)).isTrue();
        assertThat(mounts).isEmpty();
    }

    @Test void noCgroup2OrAKernelWithoutTheOptionChangesNothing() {
        List<Mount> mounts = new ArrayList<>();
        String v1Only = HYBRID.lines().filter(l -> !l.contains("cgroup2")).reduce("", (a, b) -> a + b + "\n");
        assertThat(CgroupDynmods.favor(recording(mounts, null), v1Only)).isFalse();
        assertThat(mounts).isEmpty();
        assertThat(CgroupDynmods.favor(recording(mounts, new IOException("mount /sys/fs/cgroup/unified: Invalid argument")), HYBRID))
                .isFalse();
    }
}
