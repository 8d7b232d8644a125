package io.berth.engine.container;

import io.berth.api.container.HostConfig;
import io.berth.api.Filters;
import io.berth.api.HumanDuration;
import io.berth.api.container.ContainerInspect;
import io.berth.api.container.ContainerSummary;
import io.berth.api.container.Health;
import io.berth.api.container.SummaryNetworkSettings;
import io.berth.engine.image.ImageStore;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders containers as the API shows them: inspect and the ps list. Reads only memory (sizes excepted). */
final class ContainerViews {
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final Set<String> PS_FILTERS = Set.of("id", "name", "label", "status", "ancestor", "exited", "before", "since",
            "volume", "network", "health", "isolation", "is-task", "publish", "expose");
    private static final Set<String> HEALTH_FILTER_VALUES = Set.of(Health.STARTING, Health.HEALTHY, Health.UNHEALTHY, Health.NONE);

    private final ContainerStore store;
    private final ContainerFiles files;
    private final ContainerRootfs rootfs;
    private final ImageStore images;
    private final NetworkHooks networks;

    private final io.berth.engine.volume.ContainerVolumes volumes;

    ContainerViews(ContainerStore store, ContainerFiles files, ContainerRootfs rootfs, ImageStore images,
                   io.berth.engine.volume.ContainerVolumes volumes, NetworkHooks networks) {
        this.networks = networks;
        this.volumes = volumes;
        this.store = store;
        this.files = files;
        this.rootfs = rootfs;
        this.images = images;
    }

    ContainerInspect inspect(Container c, boolean size) {
        ContainerState s = c.state();
        ContainerStatus st = s.status();
        var state = new ContainerInspect.State(st.wire(), st.isRunning(), st == ContainerStatus.PAUSED,
                st == ContainerStatus.RESTARTING, s.oomKilled(), st == ContainerStatus.DEAD, s.pid(), s.exitCode(),
                s.error() == null ? "" : s.error(), time(s.startedAt()), time(s.finishedAt()), s.health());
        Map<String, String> gd = new LinkedHashMap<>();
        String opts = rootfs.options(c.id(), c.layerChainIds());
        for (String kv : opts.split(",")) {
            int eq = kv.indexOf('=');
            String key = switch (kv.substring(0, eq)) {
                case "lowerdir" -> "LowerDir";
                case "upperdir" -> "UpperDir";
                default -> "WorkDir";
            };
            gd.put(key, kv.substring(eq + 1));
        }
        gd.put("MergedDir", rootfs.target(c.id()).toString());
        Long sizeRw = size ? du(rootfs.upper(c.id())) : null;
        Long sizeRoot = size ? sizeRw + imageSize(c) : null;
        return new ContainerInspect(c.id(), c.created().toString(), c.path(), c.args(), state, c.image(),
                files.resolvConf(c.id()).toString(), files.hostname(c.id()).toString(), files.hosts(c.id()).toString(),
                files.log(c.id()).toString(), "/" + c.name(), s.restartCount(), "overlay2", "linux", "", "", "", null,
                inspectedHostConfig(c), new ContainerInspect.GraphDriver("overlay2", gd), sizeRw, sizeRoot, volumes.describe(c.id()), c.config(),
                networks.settings(c));
    }

    /** The host config inspect shows: links as {@code /name:/container/alias}, as moby renders its link graph. */
    private static HostConfig inspectedHostConfig(Container c) {
        List<String> links = LegacyLink.inspected(c);
        if (java.util.Objects.equals(links, c.hostConfig().links())) return c.hostConfig();
        HostConfig.Builder b = c.hostConfig().toBuilder();
        b.links = links;
        return b.build();
    }

    private static String time(Instant t) { return t == null ? ZERO_TIME : t.toString(); }

    private long imageSize(Container c) {
        return images.get(io.berth.oci.Digest.parse(c.image())).map(images::size).orElse(0L);
    }

    List<ContainerSummary> list(boolean all, int limit, boolean size, Filters f) {
        f.requireOnly(PS_FILTERS);
        for (String h : f.get("health")) {
            if (!HEALTH_FILTER_VALUES.contains(h)) {
                throw new io.berth.api.errors.BerthException.InvalidArgument("Unrecognised filter value for health: " + h);
            }
        }
        List<Container> cs = new ArrayList<>(store.all());
        cs.removeIf(Container::buildStep);
        cs.sort(Comparator.comparing(Container::created).reversed());
        Instant before = f.has("before") ? store.require(f.get("before").getFirst()).created() : null;
        Instant since = f.has("since") ? store.require(f.get("since").getFirst()).created() : null;
        boolean showAll = all || limit > 0 || f.has("status") || f.has("exited") || before != null || since != null;
        List<ContainerSummary> out = new ArrayList<>();
        Map<String, String> shownImages = new java.util.HashMap<>(); // many containers share an image: one lookup each
        for (Container c : cs) {
            ContainerStatus st = c.state().status();
            if (!showAll && !st.isRunning() && st != ContainerStatus.RESTARTING) continue;
            if (!matches(c, f)) continue;
            if (before != null && !c.created().isBefore(before)) continue;
            if (since != null && !c.created().isAfter(since)) continue;
            out.add(summary(c, size, shownImages.computeIfAbsent(c.imageName() + "\0" + c.image(), k -> displayImage(c))));
            if (limit > 0 && out.size() >= limit) break;
        }
        return out;
    }

    private boolean matches(Container c, Filters f) {
        if (f.has("id") && f.get("id").stream().noneMatch(p -> c.id().startsWith(p))) return false;
        if (f.has("name") && f.get("name").stream().noneMatch(p -> java.util.regex.Pattern.compile(p.startsWith("/") ? p.substring(1) : p)
                .matcher(c.name()).find())) return false;
        if (f.has("status")) {
            for (String s : f.get("status")) {
                if (!Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead").contains(s)) {
                    throw new IllegalArgumentException("invalid filter 'status=" + s + "'");
                }
            }
            if (!f.get("status").contains(c.state().status().wire())) return false;
        }
        if (f.has("health")) {
            Health h = c.state().health();
            if (!f.get("health").contains(h == null ? Health.NONE : h.status())) return false;
        }
        if (f.has("exited")) {
            if (c.state().status() != ContainerStatus.EXITED) return false;
            if (f.get("exited").stream().noneMatch(x -> x.equals(Integer.toString(c.state().exitCode())))) return false;
        }
        Map<String, String> labels = c.config().labels() == null ? Map.of() : c.config().labels();
        for (String l : f.get("label")) {
            int eq = l.indexOf('=');
            if (eq < 0 ? !labels.containsKey(l) : !l.substring(eq + 1).equals(labels.get(l.substring(0, eq)))) return false;
        }
        if (f.has("ancestor")) {
            boolean any = false;
            for (String a : f.get("ancestor")) {
                var img = images.find(a);
                if (img.isPresent() && img.get().id().toString().equals(c.image())) any = true;
                if (a.equals(c.imageName())) any = true;
            }
            if (!any) return false;
        }
        return true;
    }

    private ContainerSummary summary(Container c, boolean size, String image) {
        List<String> cmd = new ArrayList<>();
        cmd.add(c.path());
        cmd.addAll(c.args());
        String mode = c.hostConfig().networkMode() == null || c.hostConfig().networkMode().isEmpty() ? "default" : c.hostConfig().networkMode();
        Long sizeRw = size ? du(rootfs.upper(c.id())) : null;
        Long sizeRoot = size ? sizeRw + imageSize(c) : null;
        return new ContainerSummary(c.id(), List.of("/" + c.name()), image, c.image(), String.join(" ", cmd),
                c.created().getEpochSecond(), networks.ports(c), sizeRw, sizeRoot, c.config().labels() == null ? Map.of() : c.config().labels(),
                c.state().status().wire(), status(c.state()), Map.of("NetworkMode", mode),
                new SummaryNetworkSettings(networks.settings(c).networks()), volumes.describe(c.id()));
    }

    /** The image as the user named it, or its ID when that name now points elsewhere. */
    private String displayImage(Container c) {
        try {
            var img = images.find(c.imageName());
            if (img.isPresent() && img.get().id().toString().equals(c.image())) return c.imageName();
        } catch (RuntimeException e) {
            // the name no longer parses or resolves
        }
        return c.image();
    }

    /** Docker's Status column: "Up 3 seconds", "Up 1 minute (healthy)", "Exited (0) 2 minutes ago", "Created", … */
    static String status(ContainerState s) {
        Instant now = Instant.now();
        return switch (s.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + HumanDuration.of(Duration.between(s.startedAt(), now)) + health(s.health());
            case PAUSED -> "Up " + HumanDuration.of(Duration.between(s.startedAt(), now)) + " (Paused)";
            case RESTARTING -> "Restarting (" + s.exitCode() + ") " + ago(s.finishedAt(), now);
            case REMOVING -> "Removal In Progress";
            case DEAD -> "Dead";
            case EXITED -> s.finishedAt() == null ? "Created" : "Exited (" + s.exitCode() + ") " + ago(s.finishedAt(), now);
        };
    }

    /** " (healthy)", " (unhealthy)", " (health: starting)", or nothing without a health check. */
    private static String health(Health h) {
        if (h == null) return "";
        return " (" + (Health.STARTING.equals(h.status()) ? "health: starting" : h.status()) + ")";
    }

    private static String ago(Instant t, Instant now) {
        return t == null ? "" : HumanDuration.of(Duration.between(t, now)) + " ago";
    }

    /** Bytes of regular files under a directory (the container's writable layer). */
    static long du(Path dir) {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return 0;
        }
        return total[0];
    }
}
