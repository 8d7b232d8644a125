package io.berth.engine.system;

import io.berth.engine.runtime.ConfiguredRuntime;
import io.berth.engine.runtime.Runtimes;
import io.berth.engine.service.BerthVersion;
import io.berth.engine.service.SystemService;
import io.berth.api.ApiVersion;
import io.berth.api.system.DiskUsage;
import io.berth.api.system.SystemInfo;
import io.berth.api.system.VersionResponse;
import io.berth.engine.events.EventBus;
import io.berth.engine.image.ImageStore;
import io.berth.engine.container.LocalContainerService;
import io.berth.engine.image.LocalImageService;
import io.berth.engine.content.AtomicFiles;
import io.berth.engine.distribution.RegistryConfigView;
import io.berth.engine.distribution.RegistryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** /version, /info and /system/df over the local stores. */
public final class LocalSystemService implements SystemService {
    private final Daemon daemon;
    private final HostFacts host;
    private final ImageStore images;
    private final LocalImageService imageService;
    private final EventBus events;
    private final LocalContainerService containers;
    private final java.util.function.Supplier<List<?>> volumes;

    /**
     * What /info tells of the daemon itself.
     *
     * @param id       the engine ID (kept in {@code <data-root>/engine-id}, see {@link #engineId})
     * @param dataRoot --data-root
     * @param labels   daemon labels
     * @param debug    --debug
     * @param registry registry mirrors and insecure registries, shown as {@code RegistryConfig}
     * @param runtimes the OCI runtimes, shown as {@code Runtimes} and {@code DefaultRuntime}
     */
    public record Daemon(String id, Path dataRoot, List<String> labels, boolean debug, RegistryOptions registry, Runtimes runtimes) {}

    public LocalSystemService(Daemon daemon, HostFacts host, ImageStore images, LocalImageService imageService, EventBus events,
                              LocalContainerService containers, java.util.function.Supplier<List<?>> volumes) {
        this.containers = containers;
        this.volumes = volumes;
        this.daemon = daemon;
        this.host = host;
        this.images = images;
        this.imageService = imageService;
        this.events = events;
    }

    @Override public VersionResponse version() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ApiVersion", ApiVersion.CURRENT.toString());
        details.put("Arch", "amd64");
        details.put("BuildTime", "");
        details.put("Experimental", "false");
        details.put("GitCommit", BerthVersion.GIT_COMMIT);
        details.put("GoVersion", "java" + Runtime.version().feature());
        details.put("KernelVersion", host.kernelVersion());
        details.put("MinAPIVersion", ApiVersion.MIN.toString());
        details.put("Os", "linux");
        return new VersionResponse(new VersionResponse.Platform("Berth " + BerthVersion.VERSION),
                List.of(new VersionResponse.Component("Engine", BerthVersion.VERSION, details)),
                BerthVersion.VERSION, ApiVersion.CURRENT.toString(), ApiVersion.MIN.toString(), BerthVersion.GIT_COMMIT,
                "java" + Runtime.version().feature(), "linux", "amd64", host.kernelVersion(), false, "");
    }

    @Override public SystemInfo info() {
        List<List<String>> driverStatus = List.of(List.of("Backing Filesystem", host.backingFs()), List.of("Supports d_type", "true"),
                List.of("Using metacopy", "false"), List.of("Native Overlay Diff", "true"), List.of("userxattr", "false"));
        Map<String, List<String>> plugins = Map.of("Volume", List.of("local"), "Network", List.of("bridge", "host", "none"),
                "Log", List.of("json-file", "local", "none"), "Authorization", List.of());
        Map<String, Map<String, Object>> runtimes = new java.util.TreeMap<>();
        for (ConfiguredRuntime r : daemon.runtimes().byName().values()) {
            runtimes.put(r.name(), r.args().isEmpty() ? Map.of("path", r.path()) : Map.of("path", r.path(), "runtimeArgs", r.args()));
        }
        Map<String, Object> swarm = Map.of("NodeID", "", "NodeAddr", "", "LocalNodeState", "inactive", "ControlAvailable", false,
                "Error", "", "RemoteManagers", List.of());
        Map<String, Object> registry = new RegistryConfigView(daemon.registry()).info();
        Map<String, Object> commit = Map.of("ID", "", "Expected", "");
        int[] counts = containers.counts();
        return new SystemInfo(daemon.id(), counts[0] + counts[1] + counts[2], counts[0], counts[1], counts[2], images.count(), "overlay2", driverStatus, plugins,
                true, host.swapLimit(), true, true, true, true, true, true, host.ipv4Forwarding(), daemon.debug(),
                0, Thread.activeCount(), Instant.now().toString(), "json-file", host.cgroupDriver(), host.cgroupVersion(),
                events.listenerCount(), host.kernelVersion(), host.operatingSystem(), host.osVersion(), "linux", HostFacts.architecture(),
                host.cpus(), host.memTotal(), "https://index.docker.io/v1/", registry, daemon.dataRoot().toString(),
                "", "", "", host.hostname(), daemon.labels(), false, BerthVersion.VERSION, runtimes, daemon.runtimes().defaultName(), swarm,
                true, "", "docker-init", commit, commit, commit, List.of("name=seccomp,profile=builtin"), List.of());
    }

    @Override public DiskUsage diskUsage(Set<String> types) {
        boolean all = types.isEmpty();
        try {
            return new DiskUsage(images.diskUsage(), all || types.contains("image") ? imageService.diskUsageSummaries() : null,
                    all || types.contains("container") ? containers.diskUsage() : null, all || types.contains("volume") ? List.copyOf(volumes.get()) : null,
                    all || types.contains("build-cache") ? List.of() : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The engine ID kept in {@code <data-root>/engine-id}, made (a random UUID) at first start. */
    public static String engineId(Path dataRoot) {
        Path f = dataRoot.resolve("engine-id");
        try {
            if (Files.exists(f)) return Files.readString(f).strip();
            String id = UUID.randomUUID().toString();
            AtomicFiles.write(f, id.getBytes(StandardCharsets.UTF_8));
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read engine id", e);
        }
    }
}
