package io.berth.api.container;

/** One {@code --device host[:container[:rwm]]}. */
public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {}
