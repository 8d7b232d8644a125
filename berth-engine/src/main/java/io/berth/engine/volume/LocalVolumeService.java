package io.berth.engine.volume;

import io.berth.engine.service.VolumeService;
import com.fasterxml.jackson.core.type.TypeReference;
import io.berth.api.Filters;
import io.berth.api.Json;
import io.berth.api.container.HostConfig;
import io.berth.api.volume.Volume;
import io.berth.api.volume.VolumeCreateRequest;
import io.berth.api.volume.VolumeListResponse;
import io.berth.api.volume.VolumePruneReport;
import io.berth.engine.archive.ScopedPath;
import io.berth.engine.content.AtomicFiles;
import io.berth.api.errors.BerthException;
import io.berth.engine.events.EventBus;
import io.berth.engine.runtime.spec.MountSpec;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes over the {@link LocalVolumes} driver, with the containers' references to them: each
 * container's mounts are kept in {@code <containers>/<id>/mounts.json} (so they go with the
 * container's directory) and indexed in memory for in-use checks, {@code dangling} and prune.
 */
public final class LocalVolumeService implements VolumeService, ContainerVolumes {
    private static final Logger LOG = LoggerFactory.getLogger(LocalVolumeService.class);
    /** The label dockerd puts on anonymous volumes. */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";
    private static final String MOUNTS = "mounts.json";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalVolumes volumes;
    private final Path containersRoot;
    private final EventBus events;
    private final Object lock = new Object();
    private final Map<String, List<MountPoint>> byContainer = new ConcurrentHashMap<>();
    /** Containers started and not yet stopped, with the volumes they took. */
    private final Map<String, List<MountPoint>> active = new ConcurrentHashMap<>();

    public LocalVolumeService(Path volumesRoot, Path containersRoot, EventBus events, Sys sys) {
        this.volumes = new LocalVolumes(volumesRoot, sys);
        this.containersRoot = containersRoot;
        this.events = events;
        if (Files.isDirectory(containersRoot)) {
            try (Stream<Path> dirs = Files.list(containersRoot)) {
                for (Path d : dirs.toList()) {
                    Path f = d.resolve(MOUNTS);
                    if (!Files.exists(f)) continue;
                    byContainer.put(d.getFileName().toString(), Json.plain().readValue(f.toFile(), new TypeReference<List<MountPoint>>() {}));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read container mounts under " + containersRoot, e);
            }
        }
    }

    /** At daemon start, before containers are recovered: running containers keep their volume devices mounted. */
    public void recover(Predicate<String> running) {
        Map<String, Set<String>> users = new HashMap<>();
        byContainer.forEach((id, mps) -> {
            if (!running.test(id)) return;
            active.put(id, mps);
            for (MountPoint m : mps) if (m.isVolume()) users.computeIfAbsent(m.name(), k -> new HashSet<>()).add(id);
        });
        volumes.recover(users);
    }

    public LocalVolumes driver() { return volumes; }

    // ---- API ----

    @Override public Volume create(VolumeCreateRequest r) {
        String driver = r.driver() == null || r.driver().isEmpty() ? "local" : r.driver();
        if (!driver.equals("local")) throw new BerthException.NotFound("error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
        boolean anonymous = r.name() == null || r.name().isEmpty();
        Map<String, String> labels = r.labels();
        if (anonymous) { // as moby's VolumesService.Create: a volume asked for without a name is anonymous (pruned by default)
            labels = new LinkedHashMap<>(labels == null ? Map.of() : labels);
            labels.put(ANONYMOUS_LABEL, "");
        }
        synchronized (lock) {
            return view(createVolume(anonymous ? randomName() : r.name(), r.driverOpts(), labels), null);
        }
    }

    private LocalVolumes.Meta createVolume(String name, Map<String, String> opts, Map<String, String> labels) {
        boolean existed = volumes.get(name).isPresent();
        LocalVolumes.Meta m = volumes.create(name, opts, labels);
        if (!existed) events.publish("volume", "create", name, Map.of("driver", m.driver()));
        return m;
    }

    @Override public VolumeListResponse list(Filters filters) {
        filters.requireOnly(Set.of("dangling", "name", "label", "driver"));
        Map<String, List<String>> refs = references();
        List<Volume> out = new ArrayList<>();
        for (LocalVolumes.Meta m : sorted()) {
            if (matches(m, filters, refs)) out.add(view(m, null));
        }
        return new VolumeListResponse(out, List.of());
    }

    private boolean matches(LocalVolumes.Meta m, Filters f, Map<String, List<String>> refs) {
        if (f.has("dangling")) {
            Boolean dangling = f.bool("dangling");
            boolean unused = refs.getOrDefault(m.name(), List.of()).isEmpty();
            if (dangling != null && dangling != unused) return false;
        }
        if (f.has("name") && f.get("name").stream().noneMatch(n -> m.name().contains(n))) return false;
        if (f.has("driver") && f.get("driver").stream().noneMatch(d -> d.equals(m.driver()))) return false;
        return labelsMatch(m, f.get("label"), true) && labelsMatch(m, f.get("label!"), false);
    }

    private static boolean labelsMatch(LocalVolumes.Meta m, List<String> wanted, boolean positive) {
        Map<String, String> labels = m.labels() == null ? Map.of() : m.labels();
        for (String w : wanted) {
            int eq = w.indexOf('=');
            boolean has = eq < 0 ? labels.containsKey(w) : w.substring(eq + 1).equals(labels.get(w.substring(0, eq)));
            if (has != positive) return false;
        }
        return true;
    }

    @Override public Volume inspect(String name) {
        return view(volumes.get(name).orElseThrow(() -> new BerthException.NotFound("get " + name + ": no such volume")), null);
    }

    @Override public void remove(String name, boolean force) {
        synchronized (lock) {
            if (volumes.get(name).isEmpty()) {
                if (force) return;
                throw new BerthException.NotFound("get " + name + ": no such volume");
            }
            List<String> users = references().getOrDefault(name, List.of());
            if (!users.isEmpty()) {
                throw new BerthException.Conflict("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
            }
            destroy(name);
        }
    }

    private void destroy(String name) {
        volumes.remove(name);
        events.publish("volume", "destroy", name, Map.of("driver", "local"));
    }

    @Override public VolumePruneReport prune(Filters filters, boolean anonymousOnly) {
        filters.requireOnly(Set.of("label", "label!", "all"));
        Boolean all = filters.has("all") ? filters.bool("all") : null;
        boolean anonymous = anonymousOnly && !Boolean.TRUE.equals(all);
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        synchronized (lock) {
            Map<String, List<String>> refs = references();
            for (LocalVolumes.Meta m : sorted()) {
                if (!refs.getOrDefault(m.name(), List.of()).isEmpty()) continue;
                if (anonymous && !m.anonymous()) continue;
                if (!labelsMatch(m, filters.get("label"), true) || !labelsMatch(m, filters.get("label!"), false)) continue;
                long size = volumes.size(m.name());
                destroy(m.name());
                deleted.add(m.name());
                reclaimed += Math.max(0, size);
            }
        }
        events.publish("volume", "prune", "", Map.of("reclaimed", Long.toString(reclaimed)));
        return new VolumePruneReport(deleted, reclaimed);
    }

    @Override public List<Volume> diskUsage() {
        Map<String, List<String>> refs = references();
        List<Volume> out = new ArrayList<>();
        for (LocalVolumes.Meta m : sorted()) {
            out.add(view(m, new Volume.UsageData(volumes.size(m.name()), refs.getOrDefault(m.name(), List.of()).size())));
        }
        return out;
    }

    private List<LocalVolumes.Meta> sorted() {
        List<LocalVolumes.Meta> all = volumes.all();
        all.sort(Comparator.comparing(LocalVolumes.Meta::name));
        return all;
    }

    private Volume view(LocalVolumes.Meta m, Volume.UsageData usage) {
        return new Volume(m.createdAt(), m.driver(), m.labels(), volumes.data(m.name()).toString(), m.name(), m.options(), "local", usage);
    }

    /** Volume name → the containers referencing it (sorted IDs). */
    private Map<String, List<String>> references() {
        Map<String, Set<String>> refs = new HashMap<>();
        byContainer.forEach((id, mps) -> {
            for (MountPoint m : mps) if (m.isVolume()) refs.computeIfAbsent(m.name(), k -> new TreeSet<>()).add(id);
        });
        Map<String, List<String>> out = new HashMap<>();
        refs.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    private static String randomName() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---- containers ----

    @Override public List<MountPoint> register(String containerId, HostConfig hostConfig, Map<String, ?> configVolumes,
                                               Function<String, String> containerIdOf) {
        synchronized (lock) {
            List<MountParser.Request> requests = MountParser.parse(hostConfig, configVolumes, ref -> {
                String id = containerIdOf.apply(ref);
                return byContainer.getOrDefault(id, List.of());
            });
            List<MountPoint> out = new ArrayList<>();
            List<String> created = new ArrayList<>();
            try {
                for (MountParser.Request r : requests) {
                    MountPoint m = r.mount();
                    switch (m.type()) {
                        case "volume" -> {
                            String name = m.name() == null ? randomName() : m.name();
                            if (volumes.get(name).isEmpty()) created.add(name);
                            Map<String, String> labels = r.labels();
                            createVolume(name, r.options(), labels);
                            m = m.withName(name).withSource(volumes.data(name).toString());
                        }
                        case "bind" -> {
                            Path src = Path.of(m.source());
                            if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(src)) {
                                Files.createDirectories(src); // as dockerd does for -v (and --mount with create-mountpoint)
                            }
                        }
                        default -> { }
                    }
                    out.add(m);
                }
                Path dir = Files.createDirectories(containersRoot.resolve(containerId));
                AtomicFiles.write(dir.resolve(MOUNTS), Json.plain().writeValueAsBytes(out));
            } catch (IOException | RuntimeException e) {
                for (String n : created) {
                    try {
                        destroy(n);
                    } catch (RuntimeException ignored) {
                        // the create failure is what the user needs to see
                    }
                }
                if (e instanceof RuntimeException re) throw re;
                throw new BerthException.SystemError("cannot set up the mounts of " + containerId + ": " + e.getMessage(), e);
            }
            byContainer.put(containerId, List.copyOf(out));
            return out;
        }
    }

    @Override public List<MountSpec> mountAll(String containerId, Path rootfs) {
        List<MountPoint> mps = byContainer.getOrDefault(containerId, List.of());
        List<MountSpec> out = new ArrayList<>();
        List<MountPoint> taken = new ArrayList<>();
        active.put(containerId, taken);
        for (MountPoint m : mps) {
            switch (m.type()) {
                case "volume" -> {
                    synchronized (lock) {
                        if (volumes.get(m.name()).isEmpty()) {
                            throw new BerthException.NotFound("get " + m.name() + ": no such volume");
                        }
                        volumes.acquire(m.name(), containerId);
                        taken.add(m);
                    }
                    if (m.copyData()) copyUp(rootfs, m);
                    Map<String, String> attrs = new LinkedHashMap<>();
                    attrs.put("container", containerId);
                    attrs.put("destination", m.destination());
                    attrs.put("driver", m.driver());
                    attrs.put("propagation", m.propagation() == null ? "" : m.propagation());
                    attrs.put("read/write", Boolean.toString(m.rw()));
                    events.publish("volume", "mount", m.name(), attrs);
                    out.add(bind(m.subpath() == null ? m.source() : subpathSource(m), m));
                }
                case "bind" -> out.add(bind(m.source(), m));
                case "tmpfs" -> {
                    List<String> o = new ArrayList<>(List.of(m.rw() ? "rw" : "ro", "noexec", "nosuid", "nodev", "rprivate"));
                    if (m.tmpfsData() != null && !m.tmpfsData().isEmpty()) o.addAll(List.of(m.tmpfsData().split(",")));
                    out.add(new MountSpec(m.destination(), "tmpfs", "tmpfs", o));
                }
                default -> throw new BerthException.InvalidArgument("mount type unknown: " + m.type());
            }
        }
        return out;
    }

    /** The host path of a volume mount's subpath, inside the volume's data directory. */
    private static String subpathSource(MountPoint m) {
        try {
            return VolumeSubpath.resolve(Path.of(m.source()), m.subpath()).toString();
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot access path " + m.subpath() + " in volume " + m.name() + ": " + e.getMessage(), e);
        }
    }

    private static MountSpec bind(String source, MountPoint m) {
        List<String> o = new ArrayList<>();
        o.add(m.nonRecursive() ? "bind" : "rbind");
        o.add(m.propagation() == null || m.propagation().isEmpty() ? "rprivate" : m.propagation());
        if (!m.rw()) o.add("ro");
        return new MountSpec(m.destination(), "bind", source, o);
    }

    /** Fills an empty volume with the image's content at the mount's destination, as dockerd does. */
    private void copyUp(Path rootfs, MountPoint m) {
        Path data = volumes.data(m.name());
        if (!LocalVolumes.isEmptyDir(data)) return;
        Path src;
        try {
            src = ScopedPath.host(rootfs, ScopedPath.follow(rootfs, m.destination()));
        } catch (IOException | RuntimeException e) {
            return; // nothing usable at that path in the image
        }
        if (!Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS) || LocalVolumes.isEmptyDir(src)) return;
        try {
            Process p = new ProcessBuilder("cp", "-a", "--", src + "/.", data + "/").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new IOException(out.strip());
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot copy the image's " + m.destination() + " into volume " + m.name() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException.SystemError("interrupted copying into volume " + m.name(), e);
        }
    }

    @Override public void unmountAll(String containerId) {
        List<MountPoint> taken = active.remove(containerId);
        if (taken == null) return;
        for (MountPoint m : taken) {
            synchronized (lock) {
                volumes.release(m.name(), containerId);
            }
            events.publish("volume", "unmount", m.name(), Map.of("container", containerId, "driver", m.driver()));
        }
    }

    @Override public void forget(String containerId, boolean removeAnonymous) {
        unmountAll(containerId);
        synchronized (lock) {
            List<MountPoint> mps = byContainer.remove(containerId);
            try {
                Files.deleteIfExists(containersRoot.resolve(containerId).resolve(MOUNTS));
            } catch (IOException e) {
                LOG.warn("cannot delete the mounts record of {}: {}", containerId, e.getMessage());
            }
            if (mps == null || !removeAnonymous) return;
            Map<String, List<String>> refs = references();
            for (MountPoint m : mps) {
                if (!m.isVolume() || !refs.getOrDefault(m.name(), List.of()).isEmpty()) continue;
                LocalVolumes.Meta meta = volumes.get(m.name()).orElse(null);
                if (meta != null && meta.anonymous()) destroy(m.name());
            }
        }
    }

    @Override public List<io.berth.api.container.MountPoint> describe(String containerId) {
        List<io.berth.api.container.MountPoint> out = new ArrayList<>();
        for (MountPoint m : byContainer.getOrDefault(containerId, List.of())) out.add(m.describe());
        return out;
    }
}
