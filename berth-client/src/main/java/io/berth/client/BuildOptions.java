package io.berth.client;

import io.berth.api.registry.AuthConfig;
import java.util.List;
import java.util.Map;

/**
 * The parameters of {@code POST /build} as a client sends them ({@link BerthClient#build}): what {@code docker build}'s
 * flags become. {@code buildArgs} values may be null ("not set": the daemon takes the Dockerfile's default);
 * {@code registryConfig} is sent as {@code X-Registry-Config}, {@code secrets} (ID → bytes) as Berth's
 * {@code X-Berth-Build-Secrets}. A null {@code dockerfile} means the daemon's default ({@code Dockerfile}), a
 * non-null {@code remote} a context the daemon fetches (no body is sent).
 */
public record BuildOptions(List<String> tags, String dockerfile, boolean quiet, boolean noCache, boolean remove,
                           boolean forceRemove, boolean pull, Map<String, String> buildArgs, Map<String, String> labels,
                           String target, String networkMode, List<String> extraHosts, String platform,
                           List<String> cacheFrom, String remote, String buildId, Map<String, AuthConfig> registryConfig,
                           Map<String, byte[]> secrets) {

    /** Docker's defaults: no tags, {@code rm} on, nothing else set. */
    public static BuildOptions defaults() {
        return new BuildOptions(List.of(), null, false, false, true, false, false, Map.of(), Map.of(), null, null,
                List.of(), null, List.of(), null, null, Map.of(), Map.of());
    }
}
