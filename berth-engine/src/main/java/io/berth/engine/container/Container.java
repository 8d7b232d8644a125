package io.berth.engine.container;

import io.berth.api.container.HostConfig;
import io.berth.api.image.ContainerConfig;
import java.time.Instant;
import java.util.List;

/**
 * A container's persistent record. {@code config} is the merged run configuration (image defaults
 * plus the create request), {@code path}/{@code args} the process it runs, {@code image} the image ID
 * and {@code imageName} the name the user gave.
 */
public record Container(String id, String name, Instant created, String path, List<String> args, ContainerConfig config,
                        HostConfig hostConfig, String image, String imageName, List<String> layerChainIds, ContainerState state)
        implements io.berth.engine.image.ImageUsage.ImageUser {

    public Container {
        args = List.copyOf(args);
        layerChainIds = List.copyOf(layerChainIds);
    }

    public Container withState(ContainerState s) {
        return new Container(id, name, created, path, args, config, hostConfig, image, imageName, layerChainIds, s);
    }

    public Container withName(String n) {
        return new Container(id, n, created, path, args, config, hostConfig, image, imageName, layerChainIds, state);
    }

    public Container withHostConfig(HostConfig h) {
        return new Container(id, name, created, path, args, config, h, image, imageName, layerChainIds, state);
    }

    /**
     * The name prefix of a build's RUN and COPY containers: no user can choose it (a name must start with a letter
     * or digit), so they never conflict with a user's names, and the list views skip them.
     */
    public static final String BUILD_STEP_PREFIX = "_build_";

    /** A Dockerfile step's container: hidden from {@code docker ps -a}, prune and the counts; the builder removes it. */
    public boolean buildStep() { return name.startsWith(BUILD_STEP_PREFIX); }

    /**
     * Whether the container's files are worth an fsync: not an auto-remove container's ({@code --rm}), which a crash of
     * the host ends anyway (its process is gone, and the next start removes it), nor a build step's.
     */
    public boolean durable() { return !Boolean.TRUE.equals(hostConfig.autoRemove()) && !buildStep(); }

    public String shortId() { return id.substring(0, 12); }

    public boolean tty() { return config.tty(); }

    @Override public boolean isRunning() { return state.status().isRunning(); }
}
