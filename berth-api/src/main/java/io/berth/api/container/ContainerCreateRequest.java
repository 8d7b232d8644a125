package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.berth.api.image.ContainerConfig;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /containers/create}: the container {@code Config} fields at top level
 * (as Docker sends them), plus {@code HostConfig} and {@code NetworkingConfig}. The container name
 * and platform are query parameters, not part of the body.
 */
public record ContainerCreateRequest(
        String hostname,
        String domainname,
        String user,
        Boolean attachStdin,
        Boolean attachStdout,
        Boolean attachStderr,
        Map<String, Map<String, Object>> exposedPorts,
        Boolean tty,
        Boolean openStdin,
        Boolean stdinOnce,
        List<String> env,
        @JsonDeserialize(using = StrSlice.class) List<String> cmd,
        HealthConfig healthcheck,
        Boolean argsEscaped,
        String image,
        Map<String, Map<String, Object>> volumes,
        String workingDir,
        @JsonDeserialize(using = StrSlice.class) List<String> entrypoint,
        Boolean networkDisabled,
        String macAddress,
        List<String> onBuild,
        Map<String, String> labels,
        String stopSignal,
        Integer stopTimeout,
        @JsonDeserialize(using = StrSlice.class) List<String> shell,
        HostConfig hostConfig,
        NetworkingConfig networkingConfig) {

    /** A request for {@code image} running {@code cmd} with nothing else set. */
    public static ContainerCreateRequest of(String image, List<String> cmd, HostConfig hostConfig) {
        return new ContainerCreateRequest(null, null, null, null, null, null, null, null, null, null, null, cmd,
                null, null, image, null, null, null, null, null, null, null, null, null, null, hostConfig, null);
    }

    /** The container {@code Config} part of this request, in the shape images and inspect use. */
    @JsonIgnore
    public ContainerConfig containerConfig() {
        return new ContainerConfig(hostname, domainname, user, Boolean.TRUE.equals(attachStdin),
                Boolean.TRUE.equals(attachStdout), Boolean.TRUE.equals(attachStderr), exposedPorts,
                Boolean.TRUE.equals(tty), Boolean.TRUE.equals(openStdin), Boolean.TRUE.equals(stdinOnce), env, cmd,
                healthcheck, argsEscaped, image, volumes, workingDir, entrypoint, networkDisabled, macAddress, onBuild,
                labels, stopSignal, stopTimeout, shell);
    }

    /** This request's HostConfig, or an empty one when absent. */
    @JsonIgnore
    public HostConfig hostConfigOrEmpty() {
        return hostConfig == null ? HostConfig.empty() : hostConfig;
    }

    /** A copy with another HostConfig. */
    public ContainerCreateRequest withHostConfig(HostConfig h) {
        return new ContainerCreateRequest(hostname, domainname, user, attachStdin, attachStdout, attachStderr,
                exposedPorts, tty, openStdin, stdinOnce, env, cmd, healthcheck, argsEscaped, image, volumes, workingDir,
                entrypoint, networkDisabled, macAddress, onBuild, labels, stopSignal, stopTimeout, shell, h,
                networkingConfig);
    }

    /** A copy with another entrypoint and command. */
    public ContainerCreateRequest withCommand(List<String> newEntrypoint, List<String> newCmd) {
        return new ContainerCreateRequest(hostname, domainname, user, attachStdin, attachStdout, attachStderr,
                exposedPorts, tty, openStdin, stdinOnce, env, newCmd, healthcheck, argsEscaped, image, volumes,
                workingDir, newEntrypoint, networkDisabled, macAddress, onBuild, labels, stopSignal, stopTimeout, shell,
                hostConfig, networkingConfig);
    }
}
