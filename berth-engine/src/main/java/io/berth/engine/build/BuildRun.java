package io.berth.engine.build;

import io.berth.api.errors.BerthException;
import io.berth.engine.build.dockerfile.Dockerfile;
import io.berth.engine.service.BuildService;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(BuildRun.class);

    private final Set<String> containers = ConcurrentHashMap.newKeySet();
    private final Queue<Thread> removals = new ConcurrentLinkedQueue<>();
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

    /**
     * Removes a finished step's container (it is no longer tracked) on a thread of its own: the next step does not
     * wait for the removal (unmount, runtime state, writable layer, records), {@link #removeAll} does.
     */
    void remove(String containerId) {
        containers.remove(containerId);
        removals.add(Thread.ofVirtual().name("build-remove-" + containerId.substring(0, Math.min(12, containerId.length())))
                .start(() -> {
                    try {
                        backend.removeContainer(containerId);
                    } catch (RuntimeException e) {
                        LOG.warn("cannot remove the build container {}: {}", containerId, e.getMessage());
                    }
                }));
    }

    /**
     * Removes what is left (a failed step's container) and waits for the removals under way: build containers never
     * outlive their build.
     */
    void removeAll() {
        for (String id : Set.copyOf(containers)) {
            containers.remove(id);
            backend.removeContainer(id);
        }
        boolean interrupted = false;
        for (Thread t : removals) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true; // the removals finish first: no container may outlive the build
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
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
