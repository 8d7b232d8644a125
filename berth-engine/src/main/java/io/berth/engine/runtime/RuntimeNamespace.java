package io.berth.engine.runtime;

import io.berth.api.errors.BerthException;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mount namespace berthd runs crun in on a hybrid cgroup host. crun 1.8 refuses the hybrid layout
 * ("cgroups in hybrid mode not supported") only because it sees the cgroup2 mount at
 * {@code /sys/fs/cgroup/unified}; in a namespace without that mount it runs on the v1 controllers.
 *
 * <p>{@link #open} prepares it at start (the shared roots, the namespace file's private mount: mount calls only); the
 * namespace itself is made once, by the first {@link #enter()} ({@code unshare --mount=<file> --propagation slave
 * umount /sys/fs/cgroup/unified}: a fork and two execs that berthd's start does without), and kept by the bind of its
 * {@code ns/mnt} onto {@code <exec-root>/runtime-ns/mnt}; each runtime command enters it by {@code nsenter --mount=<file>},
 * which execs the runtime (no fork). It is a slave of berthd's namespace, so the mounts berthd makes
 * later (root file systems, network namespace files, volumes) reach it, and so do those made under the roots between
 * the start and the first {@link #enter()} (they are shared, so the namespace holds slave copies): the roots they are made
 * under become shared bind mounts of themselves first (a host whose {@code /} is private propagates
 * nothing otherwise), and the namespace file lives on a private mount of its own (the kernel refuses
 * a mount namespace file on a mount that propagates into that namespace). Mounts made elsewhere on
 * the host after the start are not seen by crun (a bind source mounted later shows the directory
 * beneath).
 *
 * <p>{@link #close()} unmounts all of it; a root that still holds mounts (containers live on across a
 * restart) stays a shared mount, which the next start takes over: the roots berthd bound are listed in
 * {@code <exec-root>/runtime-ns.roots} until they are unmounted.
 */
public final class RuntimeNamespace implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RuntimeNamespace.class);
    private static final Path UNIFIED = Path.of("/sys/fs/cgroup/unified");

    private final Sys sys;
    private final Path holder;
    private final Path file;
    private final Path nsenter;
    private final Path unshare;
    private boolean namespaceMade;
    private boolean closed;
    private final List<Path> madeShared;
    private final Path rootsFile;

    private RuntimeNamespace(Sys sys, Path holder, Path nsenter, Path unshare, List<Path> madeShared) {
        this.sys = sys;
        this.holder = holder;
        this.rootsFile = holder.resolveSibling("runtime-ns.roots");
        this.file = holder.resolve("mnt");
        this.nsenter = nsenter;
        this.unshare = unshare;
        this.madeShared = madeShared;
    }

    /** True on a hybrid cgroup host: v1 controllers under a tmpfs, and a cgroup2 mount at /sys/fs/cgroup/unified. */
    public static boolean hybridCgroups() {
        return Files.exists(UNIFIED.resolve("cgroup.controllers")) && !Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    }

    /**
     * True when the host's {@code /} is a shared mount, so that a slave namespace made from it keeps following the
     * host: mounts made later appear in it and unmounted ones go. On a host whose {@code /} is private, the namespace
     * would keep what was mounted when it was made (and hold those file systems busy) and miss what comes later,
     * outside the roots {@link #open} shares.
     */
    public static boolean rootShared() {
        try {
            return mountPoints().getOrDefault("/", "").contains("shared:");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Prepares the namespace under {@code execRoot} ({@link #enter()} makes it); the mounts berthd makes under any of
     * {@code sharedRoots} from now on reach it.
     */
    public static RuntimeNamespace open(Sys sys, Path execRoot, List<Path> sharedRoots) {
        Path nsenter = Binaries.require("nsenter");
        Path unshare = Binaries.require("unshare");
        List<Path> made = new ArrayList<>();
        Path holder = execRoot.resolve("runtime-ns");
        RuntimeNamespace ns = new RuntimeNamespace(sys, holder, nsenter, unshare, made);
        try {
            Map<String, String> mounts = mountPoints();
            List<String> boundEarlier = Files.exists(ns.rootsFile) ? Files.readAllLines(ns.rootsFile) : List.of();
            for (Path root : sharedRoots) {
                Files.createDirectories(root);
                if (!mounts.containsKey(root.toString())) {
                    sys.mount(root.toString(), root, "none", Sys.MS_BIND | Sys.MS_REC, null);
                    made.add(root);
                    ns.writeRoots();
                } else if (boundEarlier.contains(root.toString())) {
                    made.add(root); // an earlier berthd's, left because its containers lived on
                }
                if (!mounts.getOrDefault(root.toString(), "").contains("shared:")) sys.mount("none", root, null, Sys.MS_SHARED, null);
            }
            Files.createDirectories(holder);
            if (!mounts.containsKey(holder.toString())) {
                sys.mount(holder.toString(), holder, "none", Sys.MS_BIND, null);
            }
            sys.mount("none", holder, null, Sys.MS_PRIVATE, null);
            if (mounts.containsKey(ns.file.toString())) sys.umount(ns.file, Sys.MNT_DETACH); // an earlier berthd's, killed
            Files.deleteIfExists(ns.file);
            Files.createFile(ns.file);
            return ns;
        } catch (IOException e) {
            ns.close();
            throw new BerthException.SystemError("cannot make the runtime's mount namespace under " + holder + ": " + e.getMessage(), e);
        }
    }

    /**
     * The command that runs the rest of an argv inside the namespace; the first call makes the namespace (later ones,
     * and callers racing the first, wait for it). A failure to make it fails this call, and the next one tries again.
     */
    public List<String> enter() {
        synchronized (this) {
            if (closed) throw new BerthException.SystemError("the runtime's mount namespace under " + holder + " is closed", null);
            if (!namespaceMade) {
                try {
                    Process p = new ProcessBuilder(unshare.toString(), "--mount=" + file, "--propagation", "slave", "umount",
                            UNIFIED.toString()).redirectErrorStream(true)
                            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                    if (p.waitFor() != 0) throw new IOException("unshare: " + out);
                } catch (IOException e) {
                    throw new BerthException.SystemError("cannot make the runtime's mount namespace under " + holder + ": "
                            + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BerthException.SystemError("interrupted while making the runtime's mount namespace", e);
                }
                namespaceMade = true;
            }
        }
        return List.of(nsenter.toString(), "--mount=" + file);
    }

    /** Mount points of this process's namespace, each with its optional fields ({@code shared:N}, {@code master:N}). */
    private static Map<String, String> mountPoints() throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            StringBuilder optional = new StringBuilder();
            for (int i = 6; i < f.length && !f[i].equals("-"); i++) optional.append(f[i]).append(' ');
            out.put(unescape(f[4]), optional.toString());
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** Unmounts the namespace file, its private mount and the shared roots made at open that hold no mounts now. */
    @Override
    public synchronized void close() { // after a first enter() still under way: it finishes first
        closed = true;
        quietly(() -> {
            sys.umount(file, Sys.MNT_DETACH);
            Files.deleteIfExists(file);
        });
        quietly(() -> {
            sys.umount(holder, 0);
            Files.deleteIfExists(holder);
        });
        List<Path> left = new ArrayList<>();
        for (Path root : madeShared.reversed()) {
            try {
                sys.umount(root, 0);
            } catch (IOException e) {
                LOG.info("{} stays a shared mount: {}", root, e.getMessage()); // busy: containers live on
                left.add(root);
            }
        }
        madeShared.retainAll(left);
        quietly(this::writeRoots);
    }

    /** Lists the roots bound here (or taken over) for the next start; none: no file. */
    private void writeRoots() throws IOException {
        if (madeShared.isEmpty()) {
            Files.deleteIfExists(rootsFile);
        } else {
            Files.write(rootsFile, madeShared.stream().map(Path::toString).toList());
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (IOException e) {
            LOG.debug("runtime namespace cleanup: {}", e.getMessage());
        }
    }
}
