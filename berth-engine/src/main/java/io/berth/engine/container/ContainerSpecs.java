package io.berth.engine.container;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.container.ContainerCreateRequest;
import io.berth.api.image.ContainerConfig;
import io.berth.api.errors.BerthException;
import io.berth.engine.runtime.spec.HostFacts;
import io.berth.engine.runtime.spec.MountSpec;
import io.berth.engine.runtime.spec.ResolvedUser;
import io.berth.engine.runtime.spec.SpecBuilder;
import io.berth.engine.runtime.spec.SpecInput;
import io.berth.engine.runtime.spec.UserResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Builds a container's OCI runtime spec from its record, at start: the user, the binds of berthd's files, namespaces to join. */
public final class ContainerSpecs {
    private final HostFacts host;
    private final ContainerFiles files;
    private final Function<String, Container> lookup;
    private final io.berth.engine.volume.ContainerVolumes volumes;

    public ContainerSpecs(HostFacts host, ContainerFiles files, Function<String, Container> lookup) {
        this(host, files, lookup, io.berth.engine.volume.ContainerVolumes.NONE);
    }

    public ContainerSpecs(HostFacts host, ContainerFiles files, Function<String, Container> lookup,
                          io.berth.engine.volume.ContainerVolumes volumes) {
        this.host = host;
        this.files = files;
        this.lookup = lookup;
        this.volumes = volumes;
    }

    /**
     * Checks at create what the spec would refuse at start (capabilities, resources, ulimits,
     * devices, security options), as dockerd validates a HostConfig before it records a container.
     */
    public void validate(Container c) {
        Map<String, Path> placeholders = new HashMap<>();
        for (String ns : List.of("network", "ipc", "pid")) placeholders.put(ns, Path.of("/proc/self/ns/" + ns));
        SpecBuilder.build(new SpecInput(null, request(c, List.of()), c.id(), Path.of("/nonexistent-rootfs"), c.config().hostname(),
                ResolvedUser.ROOT, List.of(), placeholders, null, host));
    }

    /** The containers' volumes (mounted at start, released at stop and removal). */
    public io.berth.engine.volume.ContainerVolumes volumes() { return volumes; }

    public ObjectNode build(Container c, Path rootfs) { return build(c, rootfs, null, List.of()); }

    /**
     * With {@code netns} (the network namespace networking prepared) for the container to join, when not
     * null, and {@code linkEnv} (its legacy links' variables) before its own environment, as Docker orders them.
     */
    public ObjectNode build(Container c, Path rootfs, Path netns, List<String> linkEnv) {
        ContainerConfig cfg = c.config();
        ContainerCreateRequest req = request(c, linkEnv);
        ResolvedUser user = UserResolver.resolve(rootfs, cfg.user(), c.hostConfig().groupAdd());
        List<MountSpec> mounts = new ArrayList<>(volumes.mountAll(c.id(), rootfs));
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (MountSpec m : mounts) taken.add(m.destination());
        if (!taken.contains("/etc/resolv.conf")) mounts.add(MountSpec.bind(files.resolvConf(c.id()).toString(), "/etc/resolv.conf", false));
        if (!taken.contains("/etc/hostname")) mounts.add(MountSpec.bind(files.hostname(c.id()).toString(), "/etc/hostname", false));
        if (!taken.contains("/etc/hosts")) mounts.add(MountSpec.bind(files.hosts(c.id()).toString(), "/etc/hosts", false));
        Map<String, Path> ns = new HashMap<>();
        String net = c.hostConfig().networkMode() == null ? "" : c.hostConfig().networkMode();
        if (net.startsWith("container:")) ns.put("network", joinNamespace(net.substring(10), "net"));
        else if (netns != null) ns.put("network", netns);
        String ipc = c.hostConfig().ipcMode() == null ? "" : c.hostConfig().ipcMode();
        if (ipc.startsWith("container:")) ns.put("ipc", joinNamespace(ipc.substring(10), "ipc"));
        String pid = c.hostConfig().pidMode() == null ? "" : c.hostConfig().pidMode();
        if (pid.startsWith("container:")) ns.put("pid", joinNamespace(pid.substring(10), "pid"));
        String parent = c.hostConfig().cgroupParent() == null || c.hostConfig().cgroupParent().isEmpty() ? "/berth" : c.hostConfig().cgroupParent();
        return SpecBuilder.build(new SpecInput(null, req, c.id(), rootfs, cfg.hostname(), user, mounts, ns,
                parent + "/" + c.id(), host));
    }

    /** The container's record as the create request the spec builder takes (config already merged with the image's). */
    private static ContainerCreateRequest request(Container c, List<String> linkEnv) {
        ContainerConfig cfg = c.config();
        List<String> env = cfg.env();
        if (!linkEnv.isEmpty()) {
            env = new ArrayList<>(linkEnv);
            if (cfg.env() != null) env.addAll(cfg.env());
        }
        return new ContainerCreateRequest(cfg.hostname(), cfg.domainname(), cfg.user(), cfg.attachStdin(),
                cfg.attachStdout(), cfg.attachStderr(), cfg.exposedPorts(), cfg.tty(), cfg.openStdin(), cfg.stdinOnce(), env,
                cfg.cmd(), null, cfg.argsEscaped(), cfg.image(), cfg.volumes(), cfg.workingDir(), cfg.entrypoint(),
                cfg.networkDisabled(), cfg.macAddress(), cfg.onBuild(), cfg.labels(), cfg.stopSignal(), cfg.stopTimeout(),
                cfg.shell(), c.hostConfig(), null);
    }

    private Path joinNamespace(String ref, String kind) {
        Container other = lookup.apply(ref);
        if (other == null) throw new BerthException.NotFound("No such container: " + ref);
        if (!other.state().status().isRunning() || other.state().pid() <= 0) {
            throw new BerthException.Conflict("cannot join " + kind + " namespace of a non running container: " + other.id());
        }
        return Path.of("/proc/" + other.state().pid() + "/ns/" + kind);
    }
}
