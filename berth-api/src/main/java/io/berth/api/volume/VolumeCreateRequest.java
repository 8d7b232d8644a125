package io.berth.api.volume;

import java.util.Map;

/** POST /volumes/create body: {@code Name} (generated when empty), {@code Driver}, {@code DriverOpts}, {@code Labels}. */
public record VolumeCreateRequest(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {}
