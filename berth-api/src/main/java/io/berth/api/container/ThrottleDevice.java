package io.berth.api.container;

/** {@code BlkioDeviceReadBps} (and friends) entry: a device path and a rate. */
public record ThrottleDevice(String path, Long rate) {}
