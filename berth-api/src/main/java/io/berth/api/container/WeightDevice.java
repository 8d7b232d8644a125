package io.berth.api.container;

/** {@code BlkioWeightDevice} entry. */
public record WeightDevice(String path, Integer weight) {}
