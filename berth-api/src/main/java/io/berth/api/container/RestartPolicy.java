package io.berth.api.container;

/** {@code HostConfig.RestartPolicy}: {@code Name} is "", "no", "always", "unless-stopped" or "on-failure". */
public record RestartPolicy(String name, Integer maximumRetryCount) {}
