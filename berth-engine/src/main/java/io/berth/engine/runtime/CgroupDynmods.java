package io.berth.engine.runtime;

import io.berth.engine.sys.MountInfo;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on the kernel's {@code favordynmods} on the cgroup2 hierarchy: every container start moves its first process
 * into new cgroups (the runtime writes {@code cgroup.procs}), and without this flag the kernel makes each such move
 * wait for an RCU grace period under its thread-group lock: 10–13 ms of every {@code docker run} on this kind of
 * machine, the largest single part of the runtime's create. With it, a move takes microseconds, at the cost of a
 * slightly dearer fork and exit for the whole host (the kernel's documentation: "reduce the latencies of dynamic
 * cgroup modifications such as task migrations … at the cost of making hot path operations such as forks and exits
 * more expensive"), the right trade for a host whose work is starting containers. The flag lives on the cgroup root,
 * so it also helps runtimes that only write v1 hierarchies on a hybrid host (measured: a {@code docker run --rm} 67 →
 * 58 ms). Like dockerd's {@code ip_forward}, it is a host setting berthd makes once and does not undo;
 * {@code --cgroup-favordynmods=false} leaves the host as it is.
 *
 * <p>The remount names the mount's own options again (per-mount flags and the cgroup2 options such as
 * {@code nsdelegate}), since a remount resets what it does not name. A kernel without the option (before 6.0) refuses
 * it; that is logged, and containers start as before.
 */
public final class CgroupDynmods {
    private static final Logger LOG = LoggerFactory.getLogger(CgroupDynmods.class);
    static final String OPTION = "favordynmods";
    private static final long MS_NOATIME = 1024L;
    private static final long MS_NODIRATIME = 2048L;
    private static final long MS_RELATIME = 1L << 21;
    private static final long MS_STRICTATIME = 1L << 24;

    /** A cgroup2 mount as /proc/self/mountinfo shows it: where, its per-mount options and its file system's options. */
    record Cgroup2Mount(Path target, List<String> mountOptions, List<String> superOptions) {
        boolean favorsDynmods() {
            return superOptions.contains(OPTION);
        }

        /** The flags that keep the mount as it is on a plain remount. */
        long remountFlags() {
            long flags = Sys.MS_REMOUNT;
            for (String o : mountOptions) {
                flags |= switch (o) {
                    case "ro" -> Sys.MS_RDONLY;
                    case "nosuid" -> Sys.MS_NOSUID;
                    case "nodev" -> Sys.MS_NODEV;
                    case "noexec" -> Sys.MS_NOEXEC;
                    case "noatime" -> MS_NOATIME;
                    case "nodiratime" -> MS_NODIRATIME;
                    case "relatime" -> MS_RELATIME;
                    case "strictatime" -> MS_STRICTATIME;
                    default -> 0L;
                };
            }
            return flags;
        }

        /** The file system's options with {@code favordynmods} added ({@code rw}/{@code ro} go in the flags). */
        String remountData() {
            List<String> opts = new ArrayList<>();
            for (String o : superOptions) if (!o.equals("rw") && !o.equals("ro")) opts.add(o);
            opts.add(OPTION);
            return String.join(",", opts);
        }
    }

    private CgroupDynmods() {}

    /**
     * Remounts the first cgroup2 mount of {@code mountinfo} (the text of /proc/self/mountinfo) with
     * {@code favordynmods} unless it has it. Returns whether the host favours dynamic modifications now.
     */
    public static boolean favor(Sys sys, String mountinfo) {
        Optional<Cgroup2Mount> found = cgroup2(mountinfo);
        if (found.isEmpty()) return false; // cgroup v1 only: no such switch
        Cgroup2Mount m = found.get();
        if (m.favorsDynmods()) return true;
        try {
            sys.mount(null, m.target(), null, m.remountFlags(), m.remountData());
        } catch (IOException e) {
            LOG.info("cgroup2 at {} left without {} ({}): a container's first move into its cgroups waits for the kernel",
                    m.target(), OPTION, e.getMessage());
            return false;
        }
        LOG.info("cgroup2 at {} remounted with {}: moving a container's process into its cgroups no longer waits for an"
                + " RCU grace period (--cgroup-favordynmods=false leaves the host as it is)", m.target(), OPTION);
        return true;
    }

    /** The first cgroup2 mount of a mountinfo text. */
    static Optional<Cgroup2Mount> cgroup2(String mountinfo) {
        for (String line : mountinfo.split("\n")) {
            // id parent major:minor root target mount-options [optional fields…] - fstype source super-options
            int dash = line.indexOf(" - ");
            if (dash < 0) continue;
            String[] head = line.substring(0, dash).split(" ");
            String[] tail = line.substring(dash + 3).split(" ");
            if (head.length < 6 || tail.length < 3 || !tail[0].equals("cgroup2")) continue;
            return Optional.of(new Cgroup2Mount(Path.of(MountInfo.unescape(head[4])), List.of(head[5].split(",")),
                    List.of(tail[2].split(","))));
        }
        return Optional.empty();
    }
}
