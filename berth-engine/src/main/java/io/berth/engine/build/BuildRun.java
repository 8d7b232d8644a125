package io.berth.engine.build;

import io.berth.api.errors.BerthException;
import io.berth.engine.build.dockerfile.Dockerfile;
import io.berth.engine.service.BuildService;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One build in progress: its request, context, plan and global build args, the image each finished stage produced
 * (later stages wait for the ones they read from), the containers it has running or not yet removed, and its
 * cancellation.
 */
final class BuildRun {
    final BuildService.BuildRequest request;
    final BuildBackend backend;
    final BuildFrontend frontend;
    final BuildFrontend.Context context;
    final Dockerfile dockerfile;
    final StagePlan plan;
    final BuildArgs globalArgs;
    final Path buildRoot;
    final Map<Integer, CompletableFuture<StageResult>> stages = new ConcurrentHashMap<>();
    private final Set<String> containers = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    /** What a finished stage left: its image (null for a scratch stage without steps) and its platform. */
    record StageResult(String imageId, String os) {}

    BuildRun(BuildService.BuildRequest request, BuildBackend backend, BuildFrontend frontend, BuildFrontend.Context context,
             Dockerfile dockerfile, StagePlan plan, BuildArgs globalArgs, Path buildRoot) {
        this.request = request;
        this.backend = backend;
        this.frontend = frontend;
        this.context = context;
        this.dockerfile = dockerfile;
        this.plan = plan;
        this.globalArgs = globalArgs;
        this.buildRoot = buildRoot;
        for (Dockerfile.Stage s : plan.stages()) stages.put(s.index(), new CompletableFuture<>());
    }

    /** Throws "context canceled" once the build was cancelled. */
    void checkCancelled() {
        if (cancelled) throw canceled();
    }

    static BerthException canceled() { return new BerthException.SystemError("context canceled", null); }

    boolean cancelled() { return cancelled; }

    /** Stops the build: its running containers are killed, the next step fails with "context canceled". */
    void cancel() {
        cancelled = true;
        for (String id : containers) {
            try {
                backend.kill(id);
            } catch (RuntimeException e) {
                // already exited: the run returns on its own
            }
        }
    }

    void track(String containerId) { containers.add(containerId); }

    /** Removes {@code containerId} now (it is no longer tracked). */
    void remove(String containerId) {
        containers.remove(containerId);
        backend.removeContainer(containerId);
    }

    /** Removes what is left (a failed step's container): build containers never outlive their build. */
    void removeAll() {
        for (String id : Set.copyOf(containers)) remove(id);
    }

    boolean auxAllowed() {
        String v = request.apiVersion();
        if (v == null || v.isEmpty()) return true;
        String[] p = v.split("\\.");
        try {
            int major = Integer.parseInt(p[0]);
            int minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            return major > 1 || (major == 1 && minor >= 30);
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
