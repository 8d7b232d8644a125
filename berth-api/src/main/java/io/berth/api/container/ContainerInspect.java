package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.api.image.ContainerConfig;
import java.util.List;
import java.util.Map;

/** GET /containers/{id}/json, in Docker's field names and order. */
public record ContainerInspect(
        String id,
        String created,
        String path,
        List<String> args,
        State state,
        String image,
        String resolvConfPath,
        String hostnamePath,
        String hostsPath,
        String logPath,
        String name,
        int restartCount,
        String driver,
        String platform,
        String mountLabel,
        String processLabel,
        String appArmorProfile,
        @JsonProperty("ExecIDs") List<String> execIds,
        HostConfig hostConfig,
        GraphDriver graphDriver,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeRw,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeRootFs,
        List<MountPoint> mounts,
        ContainerConfig config,
        NetworkSettings networkSettings) {

    /** {@code State}: times are RFC 3339 with nanoseconds, {@code 0001-01-01T00:00:00Z} when unset. */
    public record State(String status, boolean running, boolean paused, boolean restarting,
                        @JsonProperty("OOMKilled") boolean oomKilled, boolean dead, int pid, int exitCode, String error,
                        String startedAt, String finishedAt, @JsonInclude(JsonInclude.Include.NON_NULL) Health health) {}

    public record GraphDriver(String name, Map<String, String> data) {}
}
