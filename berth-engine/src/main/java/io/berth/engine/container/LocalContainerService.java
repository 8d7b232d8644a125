package io.berth.engine.container;

import io.berth.engine.service.LogOptions;
import io.berth.api.Filters;
import io.berth.api.container.ContainerCreateRequest;
import io.berth.api.container.ContainerCreateResponse;
import io.berth.api.container.ContainerInspect;
import io.berth.api.container.ContainerSummary;
import io.berth.api.container.HostConfig;
import io.berth.api.container.WaitResponse;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.service.ContainerService;
import io.berth.api.errors.BerthException;
import io.berth.engine.events.EventBus;
import io.berth.engine.metrics.ContainerPhase;
import io.berth.engine.metrics.PhaseClock;
import io.berth.engine.image.Image;
import io.berth.engine.image.ImageStore;
import io.berth.engine.runtime.Attach;
import io.berth.engine.service.LogEntry;
import io.berth.engine.runtime.LogReader;
import io.berth.engine.runtime.Runtimes;
import io.berth.engine.service.ProcessStdio;
import io.berth.engine.service.StdStream;
import io.berth.engine.runtime.spec.ConfigMerge;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Containers over the local stores and the conmon/runc driver, with Docker's semantics. The
 * lifecycle (start, exit, restart, live restore) is in {@link ContainerLifecycle}; this class
 * validates requests, keeps records and renders views.
 */
public final class LocalContainerService implements ContainerService {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContainerStore store;
    private final ImageStore images;
    private final ContainerLifecycle lifecycle;
    private final ContainerFiles files;
    private final ContainerRootfs rootfs;
    private final EventBus events;
    private final ContainerViews views;
    private final ContainerEtcFiles etc;
    private final NetworkHooks networks;
    private final Runtimes runtimes;

    /** {@code networks} records each new container's attachments and renders NetworkSettings and ports. */
    public LocalContainerService(ContainerStore store, ImageStore images, ContainerLifecycle lifecycle, ContainerFiles files,
                                 ContainerEtcFiles etc, ContainerRootfs rootfs, EventBus events, NetworkHooks networks,
                                 Runtimes runtimes) {
        this.store = store;
        this.runtimes = runtimes;
        this.etc = etc;
        this.networks = networks;
        this.images = images;
        this.lifecycle = lifecycle;
        this.files = files;
        this.rootfs = rootfs;
        this.events = events;
        this.views = new ContainerViews(store, files, rootfs, images, lifecycle.volumes(), networks);
    }

    @Override public ContainerCreateResponse create(String name, ContainerCreateRequest req) {
        PhaseClock clock = new PhaseClock(lifecycle.metrics());
        ContainerCreateResponse created = createTimed(name, req);
        clock.lap(ContainerPhase.CREATE);
        lifecycle.metrics().action("create", clock.total());
        return created;
    }

    private ContainerCreateResponse createTimed(String name, ContainerCreateRequest req) {
        if (req.image() == null || req.image().isEmpty()) throw new BerthException.InvalidArgument("No command specified");
        HostConfig host = ContainerValidation.runtime(ContainerValidation.hostConfig(req.hostConfigOrEmpty()), runtimes);
        HealthSettings.validate(req.containerConfig().healthcheck());
        Image image = images.require(req.image());
        ContainerConfig merged = ConfigMerge.merge(req.containerConfig(), image.config().containerConfig());
        String id = HexFormat.of().formatHex(randomBytes());
        String containerName = name == null || name.isEmpty() ? uniqueName() : ContainerStore.validName(name);
        return create(id, containerName, image, req.image(), merged, host, req.networkingConfig());
    }

    /**
     * A Dockerfile step's container (RUN, or the rootfs COPY and WORKDIR change): {@code config} is the builder's, used
     * as it is; {@code imageId} null is {@code FROM scratch}. Hidden ({@link Container#buildStep()}); not started.
     */
    public String createBuildStep(String imageId, ContainerConfig config, HostConfig hostConfig) {
        HostConfig host = ContainerValidation.runtime(ContainerValidation.hostConfig(hostConfig), runtimes);
        Image image = imageId == null ? null : images.require(imageId);
        List<String> entrypoint = config.entrypoint();
        ContainerConfig c = config;
        if (entrypoint != null && entrypoint.size() == 1 && entrypoint.getFirst().isEmpty()) {
            c = new ContainerConfig(c.hostname(), c.domainname(), c.user(), c.attachStdin(), c.attachStdout(), c.attachStderr(),
                    c.exposedPorts(), c.tty(), c.openStdin(), c.stdinOnce(), c.env(), c.cmd(), c.healthcheck(), c.argsEscaped(),
                    c.image(), c.volumes(), c.workingDir(), List.of(), c.networkDisabled(), c.macAddress(), c.onBuild(),
                    c.labels(), c.stopSignal(), c.stopTimeout(), c.shell());
        }
        String id = HexFormat.of().formatHex(randomBytes());
        create(id, Container.BUILD_STEP_PREFIX + id.substring(0, 12), image, imageId == null ? "" : imageId, c, host, null);
        return id;
    }

    private ContainerCreateResponse create(String id, String containerName, Image image, String imageName, ContainerConfig merged,
                                           HostConfig host, io.berth.api.container.NetworkingConfig networking) {
        List<String> argv = ConfigMerge.args(merged);
        store.reserveName(containerName, id);
        try {
            String hostname = merged.hostname() == null || merged.hostname().isEmpty() ? id.substring(0, 12) : merged.hostname();
            ContainerConfig config = withHostnameAndImage(merged, hostname, imageName);
            List<String> chains = image == null ? List.of() : image.layers().stream().map(l -> l.chainId().toString()).toList();
            Container c = new Container(id, containerName, Instant.now(), argv.getFirst(), argv.subList(1, argv.size()), config,
                    host, image == null ? "" : image.id().toString(), imageName, chains, ContainerState.created());
            Signals.parse(config.stopSignal(), Signals.SIGTERM); // "Invalid signal: X" at create, as dockerd
            lifecycle.validate(c);
            networks.created(c, networking);
            rootfs.prepare(id);
            lifecycle.volumes().register(id, host, merged.volumes(), ref -> store.require(ref).id());
            etc.created(c);
            store.put(c);
            lifecycle.created(c);
        } catch (IOException e) {
            store.releaseName(containerName, id);
            networks.removed(id).run(); // a record made at create has nothing in the kernel yet
            if (store.get(id).isEmpty()) lifecycle.volumes().forget(id, true);
            throw new BerthException.SystemError("cannot create container: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            store.releaseName(containerName, id);
            if (store.get(id).isEmpty()) networks.removed(id).run();
            if (store.get(id).isEmpty()) lifecycle.volumes().forget(id, true);
            throw e;
        }
        events.publish("container", "create", id, attributes(store.require(id)));
        return new ContainerCreateResponse(id, List.of());
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    private String uniqueName() {
        for (int i = 0; ; i++) {
            String n = NameGenerator.next(i);
            if (!store.nameTaken(n)) return n;
        }
    }

    private static ContainerConfig withHostnameAndImage(ContainerConfig c, String hostname, String image) {
        return new ContainerConfig(hostname, c.domainname() == null ? "" : c.domainname(), c.user() == null ? "" : c.user(),
                c.attachStdin(), c.attachStdout(), c.attachStderr(), c.exposedPorts(), c.tty(), c.openStdin(), c.stdinOnce(),
                c.env(), c.cmd(), c.healthcheck(), c.argsEscaped(), image, c.volumes(), c.workingDir() == null ? "" : c.workingDir(),
                c.entrypoint(), c.networkDisabled(), c.macAddress(), c.onBuild(), c.labels() == null ? Map.of() : c.labels(),
                c.stopSignal(), c.stopTimeout(), c.shell());
    }

    /** The attributes Docker puts on container events: image, name, and the container's labels. */
    static Map<String, String> attributes(Container c) {
        Map<String, String> a = new HashMap<>();
        if (c.config().labels() != null) a.putAll(c.config().labels());
        a.put("image", c.imageName());
        a.put("name", c.name());
        return a;
    }

    @Override public boolean start(String ref) { return lifecycle.start(store.require(ref).id()); }

    @Override public boolean stop(String ref, Integer timeout, String signal) {
        return lifecycle.stop(store.require(ref).id(), timeout, signal);
    }

    @Override public void restart(String ref, Integer timeout, String signal) {
        String id = store.require(ref).id();
        lifecycle.stop(id, timeout, signal);
        lifecycle.start(id);
        events.publish("container", "restart", id, attributes(store.require(id)));
    }

    @Override public void kill(String ref, String signal) { lifecycle.kill(store.require(ref).id(), Signals.parse(signal, Signals.SIGKILL)); }

    @Override public void pause(String ref) { lifecycle.pause(store.require(ref).id()); }

    @Override public void unpause(String ref) { lifecycle.unpause(store.require(ref).id()); }

    @Override public CompletableFuture<WaitResponse> await(String ref, String condition) {
        return lifecycle.await(store.require(ref).id(), condition == null || condition.isEmpty() ? "not-running" : condition);
    }

    @Override public void remove(String ref, boolean force, boolean removeVolumes) { lifecycle.remove(store.require(ref).id(), force, removeVolumes); }

    @Override public void removeLink(String name) {
        String path = name.startsWith("/") ? name.substring(1) : name;
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            store.require(path);
            throw new BerthException.SystemError("Conflict, cannot remove the default link name of the container", null);
        }
        String alias = path.substring(slash + 1);
        Container parent = store.find(path.substring(0, slash)).filter(LegacyLink::legacy).orElse(null);
        List<String> kept = new ArrayList<>();
        boolean found = false;
        for (String spec : parent == null || parent.hostConfig().links() == null ? List.<String>of() : parent.hostConfig().links()) {
            if (LegacyLink.parse(spec).alias().equals(alias)) found = true;
            else kept.add(spec);
        }
        if (!found) throw new BerthException.NotFound("No such container: " + name);
        store.update(parent.id(), x -> {
            HostConfig.Builder b = x.hostConfig().toBuilder();
            b.links = kept.isEmpty() ? null : kept;
            return x.withHostConfig(b.build());
        });
    }

    @Override public ContainerInspect inspect(String ref, boolean size) { return views.inspect(store.require(ref), size); }

    @Override public List<ContainerSummary> list(boolean all, int limit, boolean size, Filters filters) {
        return views.list(all, limit, size, filters);
    }

    @Override public void rename(String ref, String newName) {
        Container c = store.require(ref);
        String name = ContainerStore.validName(newName);
        if (name.equals(c.name())) throw new BerthException.Conflict("Renaming a container with the same name as its current name");
        store.reserveName(name, c.id());
        String old = c.name();
        store.update(c.id(), x -> x.withName(name));
        store.releaseName(old, c.id());
        Map<String, String> attrs = attributes(store.require(c.id()));
        attrs.put("oldName", "/" + old);
        events.publish("container", "rename", c.id(), attrs);
    }

    @Override public ProcessStdio attach(String ref, boolean stdin) {
        Container c = store.require(ref);
        if (c.state().status() == ContainerStatus.EXITED && !c.state().status().canStart()) {
            throw new BerthException.Conflict("You cannot attach to a stopped container, start it first");
        }
        CompletableFuture<Attach> a = lifecycle.attach(c.id());
        CompletableFuture<Integer> exit = lifecycle.await(c.id(), "next-exit").thenApply(w -> (int) w.statusCode());
        events.publish("container", "attach", c.id(), attributes(c));
        return new ContainerStreams(a, c.tty(), stdin && c.config().openStdin(), exit, (h, w) -> lifecycle.resize(c.id(), h, w));
    }

    @Override public void logs(String ref, LogOptions o, Consumer<LogEntry> sink, CompletableFuture<?> stop) {
        Container c = store.require(ref);
        String driver = c.hostConfig().logConfig() == null ? "json-file" : c.hostConfig().logConfig().type();
        Set<StdStream> streams = EnumSet.noneOf(StdStream.class);
        if (o.stdout()) streams.add(StdStream.STDOUT);
        if (o.stderr()) streams.add(StdStream.STDERR);
        if (streams.isEmpty()) throw new BerthException.InvalidArgument("Bad parameters: you must choose at least one stream");
        if ("none".equals(driver)) throw new BerthException.NotImplemented(NO_LOG_READER);
        LogReader reader = new LogReader(files.log(c.id()));
        LogReader.Query q = new LogReader.Query(streams, o.tail(), o.since(), o.until());
        try {
            if (o.follow() && c.state().status().isRunning()) {
                CompletableFuture<Object> end = new CompletableFuture<>();
                lifecycle.await(c.id(), "not-running").whenComplete((r, e) -> end.complete(null));
                stop.whenComplete((r, e) -> end.complete(null));
                reader.follow(q, sink, end);
            } else {
                for (LogEntry e : reader.read(q)) sink.accept(e);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // the container has not written anything yet
        } catch (IOException e) {
            throw new BerthException.SystemError("cannot read logs of " + c.id() + ": " + e.getMessage(), e);
        }
    }

    @Override public boolean tty(String ref) { return store.require(ref).tty(); }

    /** moby's {@code ErrReadLogsNotSupported}, a 501. */
    private static final String NO_LOG_READER = "configured logging driver does not support reading";

    @Override public Map<String, String> logAttributes(String ref) {
        Container c = store.require(ref);
        if (c.hostConfig().logConfig() != null && "none".equals(c.hostConfig().logConfig().type())) {
            throw new BerthException.NotImplemented(NO_LOG_READER);
        }
        return LogAttributes.of(c.hostConfig().logConfig(), c.config().labels(), c.config().env());
    }

    @Override public void resize(String ref, int height, int width) { lifecycle.resize(store.require(ref).id(), height, width); }

    /** Running, paused and stopped counts for /info. */
    public int[] counts() {
        int running = 0, paused = 0, stopped = 0;
        for (Container c : store.all()) {
            if (c.buildStep()) continue;
            switch (c.state().status()) {
                case RUNNING, RESTARTING -> running++;
                case PAUSED -> paused++;
                default -> stopped++;
            }
        }
        return new int[] {running, paused, stopped};
    }

    /** The containers part of system df: every container with its sizes. */
    public List<ContainerSummary> diskUsage() {
        return views.list(true, 0, true, Filters.NONE);
    }
}
