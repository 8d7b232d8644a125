package io.berth.engine.service;

import io.berth.api.container.ContainerStats;
import io.berth.api.container.ContainerTopResponse;
import io.berth.api.container.HostConfig;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** {@code top}, {@code stats} and {@code update} of running containers, over their cgroups and the runtime. */
public interface ContainerResourceService {
    /** The titles and the host {@code ps} rows whose PID is in the container. */
    ContainerTopResponse top(String ref, String psArgs);

    /**
     * Writes stats objects to {@code sink}: one when {@code !stream}
     * (with precpu from one interval earlier unless {@code oneShot}), else one a second until
     * {@code stop} completes or the container stops.
     */
    void stats(String ref, boolean stream, boolean oneShot, Consumer<ContainerStats> sink, CompletableFuture<?> stop);

    /** Changes resources and restart policy; applied live to a running container. Returns warnings. */
    List<String> update(String ref, HostConfig changes);
}
