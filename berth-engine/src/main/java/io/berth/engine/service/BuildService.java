package io.berth.engine.service;

import io.berth.api.Filters;
import io.berth.api.registry.AuthConfig;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Dockerfile builds ({@code POST /build}, {@code /build/prune}, {@code /build/cancel}), with the classic builder's
 * stream ({@code Step N/M : …}, {@code  ---> Running in …}, {@code Successfully built …}) and BuildKit's Dockerfile
 * syntax. Progress goes to a {@link ProgressSink} message by message; errors before anything was sent are
 * {@link io.berth.api.errors.BerthException}s (the API answers with their status), later ones end the stream with an
 * {@code errorDetail} (a failing RUN carries its exit code).
 */
public interface BuildService {
    /**
     * Runs a build of {@code context} (a tar, plain or compressed; empty when {@code request.remote()} names the
     * context) and returns the image ID ({@code sha256:…}); tags are applied only when the whole build succeeded.
     */
    String build(BuildRequest request, InputStream context, ProgressSink progress);

    /** {@code POST /build/cancel?id=}: stops the build started with that {@code buildid}; false when none runs. */
    boolean cancel(String buildId);

    /** {@code POST /build/prune}: drops build cache (cache mounts, cached intermediate images no image needs). */
    BuildCachePruneReport prune(Filters filters, boolean all, long keepStorage);

    /** The build cache entries {@code system df} lists. */
    List<BuildCacheRecord> cache();

    /**
     * A build's parameters, as {@code POST /build} takes them. {@code buildArgs} values may be null ("from the
     * environment": unset for the daemon). {@code registryAuth} is {@code X-Registry-Config} (registry → credentials).
     * {@code secrets} maps secret IDs to their bytes (the berth CLI's {@code --secret}). {@code apiVersion} is the
     * client's (aux messages from 1.30 on).
     */
    record BuildRequest(List<String> tags, String dockerfile, boolean quiet, boolean noCache, boolean remove,
                        boolean forceRemove, boolean pull, Map<String, String> buildArgs, Map<String, String> labels,
                        String target, String networkMode, List<String> extraHosts, String platform,
                        List<String> cacheFrom, Resources resources, String remote, String buildId,
                        Map<String, AuthConfig> registryAuth, Map<String, byte[]> secrets, String apiVersion) {}

    /** The resource limits of the build's RUN containers (0 or null: not set). */
    record Resources(long memory, long memorySwap, long cpuShares, long cpuPeriod, long cpuQuota, String cpusetCpus,
                     String cpusetMems, long shmSize, String cgroupParent, List<Ulimit> ulimits) {
        public static final Resources NONE = new Resources(0, 0, 0, 0, 0, null, null, 0, null, List.of());
    }

    /** One {@code ulimits} entry: {@code {"Name":"nofile","Soft":1024,"Hard":2048}}. */
    record Ulimit(String name, long soft, long hard) {}

    /** {@code POST /build/prune}'s answer. */
    record BuildCachePruneReport(List<String> cachesDeleted, long spaceReclaimed) {}

    /** A build cache entry as {@code GET /system/df} lists it ({@code BuildCache}). */
    record BuildCacheRecord(String id, String parent, String type, String description, boolean inUse, boolean shared,
                            long size, String createdAt, String lastUsedAt, int usageCount) {}
}
