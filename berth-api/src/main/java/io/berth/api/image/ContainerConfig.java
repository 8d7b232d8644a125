package io.berth.api.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The image's run configuration as Docker shows it in {@code ImageInspect.Config} (and, later,
 * a container's {@code Config}). Keys of {@code exposedPorts}/{@code volumes} map to empty objects. The fields Go's
 * {@code container.Config} tags {@code omitempty} are left out when empty, as Docker writes them.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ContainerConfig(
        String hostname,
        String domainname,
        String user,
        boolean attachStdin,
        boolean attachStdout,
        boolean attachStderr,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<String, Object>> exposedPorts,
        boolean tty,
        boolean openStdin,
        boolean stdinOnce,
        List<String> env,
        List<String> cmd,
        @JsonInclude(JsonInclude.Include.NON_NULL) Object healthcheck,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean argsEscaped,
        String image,
        Map<String, Map<String, Object>> volumes,
        String workingDir,
        List<String> entrypoint,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean networkDisabled,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String macAddress,
        List<String> onBuild,
        Map<String, String> labels,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String stopSignal,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer stopTimeout,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> shell) {}
