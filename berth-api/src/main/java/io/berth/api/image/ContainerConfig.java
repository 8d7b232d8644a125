package io.berth.api.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The image's run configuration as Docker shows it in {@code ImageInspect.Config} (and, later,
 * a container's {@code Config}). Keys of {@code exposedPorts}/{@code volumes} map to empty objects.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ContainerConfig(
        String hostname,
        String domainname,
        String user,
        boolean attachStdin,
        boolean attachStdout,
        boolean attachStderr,
        Map<String, Map<String, Object>> exposedPorts,
        boolean tty,
        boolean openStdin,
        boolean stdinOnce,
        List<String> env,
        List<String> cmd,
        Object healthcheck,
        Boolean argsEscaped,
        String image,
        Map<String, Map<String, Object>> volumes,
        String workingDir,
        List<String> entrypoint,
        Boolean networkDisabled,
        String macAddress,
        List<String> onBuild,
        Map<String, String> labels,
        String stopSignal,
        Integer stopTimeout,
        List<String> shell) {}
