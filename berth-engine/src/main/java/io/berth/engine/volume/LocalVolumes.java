package io.berth.engine.volume;

import io.berth.api.Json;
import io.berth.engine.content.AtomicFiles;
import io.berth.api.errors.BerthException;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code local} volume driver: each volume is {@code <root>/<name>/_data} with its metadata in
 * {@code <root>/<name>/volume.json} (written atomically). A volume created with a {@code device}
 * option ({@code -o type=tmpfs,device=tmpfs,o=size=100m} or {@code -o type=none,o=bind,device=/path})
 * is mounted on its {@code _data} at first use and unmounted when its last user stops.
 */
public final class LocalVolumes {
    private static final Logger LOG = LoggerFactory.getLogger(LocalVolumes.class);
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final Set<String> OPTION_KEYS = Set.of("type", "device", "o", "size");
    static final String META = "volume.json";

    /** A volume's persistent record. */
    public record Meta(String name, String driver, Map<String, String> labels, Map<String, String> options, String createdAt) {
        public boolean hasDevice() { return options != null && options.get("device") != null && !options.get("device").isEmpty(); }

        public boolean anonymous() { return labels != null && labels.containsKey(LocalVolumeService.ANONYMOUS_LABEL); }
    }

    private final Path root;
    private final Sys sys;
    private final Map<String, Meta> byName = new ConcurrentHashMap<>();
    /** Volumes with a device mounted on their _data, and the containers using each. */
    private final Map<String, Set<String>> mounted = new ConcurrentHashMap<>();

    public LocalVolumes(Path root, Sys sys) {
        this.root = root;
        this.sys = sys;
        try {
            Files.createDirectories(root);
            Set<String> mountinfo = mountedPaths();
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path d : dirs.toList()) {
                    String n = d.getFileName().toString();
                    if (n.startsWith(".")) {
                        AtomicFiles.deleteTree(d); // a removal a crash interrupted
                        continue;
                    }
                    Path f = d.resolve(META);
                    if (!Files.exists(f)) continue;
                    Meta m = Json.plain().readValue(f.toFile(), Meta.class);
                    byName.put(m.name(), m);
                    if (mountinfo.contains(data(m.name()).toString())) mounted.put(m.name(), new HashSet<>());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open volume store " + root, e);
        }
    }

    public Path data(String name) { return root.resolve(name).resolve("_data"); }

    public Optional<Meta> get(String name) { return Optional.ofNullable(byName.get(name)); }

    public List<Meta> all() { return new ArrayList<>(byName.values()); }

    /** Docker's local volume name rule. */
    public static void validateName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new BerthException.InvalidArgument("create " + name + ": \"" + name + "\" includes invalid characters for a local volume name, only "
                    + "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        }
    }

    /** Creates the volume, or returns the existing one of that name (as Docker does). */
    public synchronized Meta create(String name, Map<String, String> options, Map<String, String> labels) {
        Meta existing = byName.get(name);
        if (existing != null) return existing;
        validateName(name);
        Map<String, String> opts = options == null ? null : new TreeMap<>(options);
        if (opts != null) {
            for (String k : opts.keySet()) {
                if (!OPTION_KEYS.contains(k)) throw new BerthException.InvalidArgument("create " + name + ": invalid option key: \"" + k + "\"");
            }
            if (opts.containsKey("size")) throw new BerthException.InvalidArgument("create " + name + ": quota size requested but no quota support");
            boolean hasType = opts.get("type") != null && !opts.get("type").isEmpty();
            boolean hasDevice = opts.get("device") != null && !opts.get("device").isEmpty();
            if (hasType != hasDevice && !opts.isEmpty()) {
                throw new BerthException.InvalidArgument("create " + name + ": missing required option: \"" + (hasType ? "device" : "type") + "\"");
            }
        }
        Meta m = new Meta(name, "local", labels == null ? null : new TreeMap<>(labels), opts,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        try {
            Files.createDirectories(data(name));
            AtomicFiles.write(root.resolve(name).resolve(META), Json.plain().writeValueAsBytes(m));
        } catch (IOException e) {
            throw new BerthException.SystemError("create " + name + ": " + e.getMessage(), e);
        }
        byName.put(name, m);
        LOG.info("volume {} created", name);
        return m;
    }

    /** Removes the volume and its data (unmounting its device first). */
    public synchronized void remove(String name) {
        Meta m = byName.get(name);
        if (m == null) throw new BerthException.NotFound("get " + name + ": no such volume");
        if (mounted.remove(name) != null) umount(name);
        byName.remove(name);
        try {
            Path trash = root.resolve("." + name + ".removing");
            Files.move(root.resolve(name), trash);
            AtomicFiles.deleteTree(trash);
        } catch (IOException e) {
            throw new BerthException.SystemError("remove " + name + ": " + e.getMessage(), e);
        }
        LOG.info("volume {} removed", name);
    }

    /** Records a user of the volume; mounts its device on first use. */
    public synchronized void acquire(String name, String user) {
        Meta m = byName.get(name);
        if (m == null || !m.hasDevice()) return;
        Set<String> users = mounted.get(name);
        if (users == null) {
            mountDevice(m);
            users = new HashSet<>();
            mounted.put(name, users);
        }
        users.add(user);
    }

    /** Forgets a user; unmounts the device when it was the last. */
    public synchronized void release(String name, String user) {
        Set<String> users = mounted.get(name);
        if (users == null) return;
        users.remove(user);
        if (users.isEmpty()) {
            mounted.remove(name);
            umount(name);
        }
    }

    /** At daemon start: the users still running; devices nobody uses any more are unmounted. */
    synchronized void recover(Map<String, Set<String>> usersByVolume) {
        for (String name : List.copyOf(mounted.keySet())) {
            Set<String> users = usersByVolume.getOrDefault(name, Set.of());
            if (users.isEmpty()) {
                mounted.remove(name);
                umount(name);
            } else {
                mounted.get(name).addAll(users);
            }
        }
    }

    private void mountDevice(Meta m) {
        Map<String, String> o = m.options();
        String type = o.getOrDefault("type", "");
        long flags = 0;
        List<String> data = new ArrayList<>();
        String opts = o.getOrDefault("o", "");
        for (String x : opts.isEmpty() ? new String[0] : opts.split(",")) {
            switch (x) {
                case "ro" -> flags |= Sys.MS_RDONLY;
                case "rw" -> { }
                case "nosuid" -> flags |= Sys.MS_NOSUID;
                case "nodev" -> flags |= Sys.MS_NODEV;
                case "noexec" -> flags |= Sys.MS_NOEXEC;
                case "bind" -> flags |= Sys.MS_BIND;
                case "rbind" -> flags |= Sys.MS_BIND | Sys.MS_REC;
                default -> data.add(x);
            }
        }
        Path target = data(m.name());
        try {
            sys.mount(o.get("device"), target, (flags & Sys.MS_BIND) != 0 ? "none" : type, flags, String.join(",", data));
            if ((flags & Sys.MS_BIND) != 0 && (flags & Sys.MS_RDONLY) != 0) {
                sys.mount("none", target, "none", flags | Sys.MS_REMOUNT, "");
            }
        } catch (IOException e) {
            throw new BerthException.SystemError("error while mounting volume '" + target + "': failed to mount local volume: mount "
                    + o.get("device") + ":" + target + ", flags: 0x" + Long.toHexString(flags) + ", data: " + String.join(",", data)
                    + ": " + e.getMessage(), e);
        }
        LOG.info("volume {} mounted ({})", m.name(), type);
    }

    private void umount(String name) {
        try {
            sys.umount(data(name), Sys.MNT_DETACH);
            LOG.info("volume {} unmounted", name);
        } catch (IOException e) {
            LOG.warn("cannot unmount volume {}: {}", name, e.getMessage());
        }
    }

    /** Bytes under the volume's data (apparent sizes, each hard-linked file once). */
    public long size(String name) {
        long[] total = {0};
        Set<Object> seen = new HashSet<>();
        try {
            Files.walkFileTree(data(name), new SimpleFileVisitor<>() {
                @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && (attrs.fileKey() == null || seen.add(attrs.fileKey()))) total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult visitFileFailed(Path file, IOException exc) { return FileVisitResult.CONTINUE; }
            });
        } catch (IOException e) {
            return -1;
        }
        return total[0];
    }

    static boolean isEmptyDir(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<String> mountedPaths() {
        Set<String> out = new HashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4) out.add(f[4].replace("\\040", " "));
            }
        } catch (IOException e) {
            // no mountinfo: nothing is known to be mounted
        }
        return out;
    }
}
