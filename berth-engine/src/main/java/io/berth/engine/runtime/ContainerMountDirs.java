package io.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.engine.sys.MountInfo;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories under which berthd mounts what is each container's own: its root file system's overlay under
 * {@code <exec-root>/containers}, its network namespace file under {@code <exec-root>/netns}. Each is made a mount point
 * of its own (a bind of itself), so that {@code berth-runtime-ns} can give crun a mount namespace without the other
 * containers' mounts: it detaches each directory with everything under it in one call ({@code --drop}) and puts back
 * the mounts of the container being created ({@code --keep}). Otherwise crun pays for every container's two mounts
 * several times per create (it copies the table for the container, reads all of {@code /proc/mounts}, and detaches
 * the lot at its pivot_root): 30 ms of each create at 1000 containers. See the launcher's source for the details.
 *
 * <p>A directory that already has mounts under it without being a mount point (containers left running by a berthd
 * before this one) is left as it is: a bind of it now would hide those mounts from the host. The launcher then only
 * drops the others.
 */
public record ContainerMountDirs(List<Path> dirs) {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerMountDirs.class);

    /** No directory: the launcher drops nothing (runc, crun without the launcher, tests). */
    public static final ContainerMountDirs NONE = new ContainerMountDirs(List.of());

    public ContainerMountDirs {
        dirs = List.copyOf(dirs);
    }

    /**
     * Makes each of {@code dirs} (which exist) a mount point of its own unless it is one already, per {@code mountinfo}
     * (the text of /proc/self/mountinfo); returns those that are mount points now.
     */
    public static ContainerMountDirs prepare(Sys sys, String mountinfo, List<Path> dirs) {
        List<Path> targets = MountInfo.targets(mountinfo);
        List<Path> ready = new ArrayList<>();
        for (Path d : dirs) {
            Path dir = d.toAbsolutePath().normalize();
            if (targets.contains(dir)) {
                ready.add(dir);
            } else if (targets.stream().anyMatch(t -> t.startsWith(dir))) {
                LOG.info("{} has mounts under it from before this berthd: crun's creates keep seeing them all", dir);
            } else {
                try {
                    sys.mount(dir.toString(), dir, null, Sys.MS_BIND, null);
                    ready.add(dir);
                } catch (IOException e) {
                    LOG.warn("cannot make {} a mount point: crun's creates will see every container's mounts: {}", dir, e.getMessage());
                }
            }
        }
        return new ContainerMountDirs(ready);
    }

    /**
     * Unmounts the directories again where nothing is mounted under them any more (a plain unmount, refused while
     * containers still run: then they stay for the next berthd).
     */
    public void release(Sys sys) {
        for (Path dir : dirs) {
            try {
                sys.umount(dir, 0);
            } catch (IOException e) {
                // busy: containers still run from it
            }
        }
    }

    /** The most paths the launcher keeps (it takes 16). */
    static final int MAX_KEEPS = 16;

    /**
     * The launcher's arguments for creating the container of {@code spec} (its bundle at {@code bundle}): {@code --keep=}
     * for what of it lies under one of the directories (its root file system, its network namespace file, and the
     * source of a bind mount of anything there), then {@code --drop=} for each directory. None without directories, when
     * a bind mount's source holds a directory (it must show the container what is mounted there), or when there would
     * be more to keep than the launcher takes.
     */
    public List<String> launcherArgs(JsonNode spec, Path bundle) {
        if (dirs.isEmpty()) return List.of();
        List<String> args = new ArrayList<>();
        String root = spec.path("root").path("path").asText("");
        if (!root.isEmpty()) keep(args, bundle.resolve(root));
        for (JsonNode ns : spec.path("linux").path("namespaces")) {
            if (ns.path("type").asText().equals("network") && ns.hasNonNull("path")) keep(args, Path.of(ns.get("path").asText()));
        }
        for (JsonNode m : spec.path("mounts")) {
            String source = m.path("source").asText("");
            if (!m.path("type").asText().equals("bind") || !source.startsWith("/")) continue;
            Path p = Path.of(source).normalize();
            // a bind of a directory above them (-v /:/host) shows the container the mounts under them: drop nothing
            if (dirs.stream().anyMatch(d -> d.startsWith(p))) return List.of();
            keep(args, p);
        }
        if (args.size() > MAX_KEEPS) return List.of();
        for (Path dir : dirs) args.add("--drop=" + dir);
        return args;
    }

    private void keep(List<String> args, Path path) {
        Path p = path.toAbsolutePath().normalize();
        for (Path dir : dirs) {
            if (p.startsWith(dir) && !p.equals(dir)) {
                if (!args.contains("--keep=" + p)) args.add("--keep=" + p);
                return;
            }
        }
    }
}
