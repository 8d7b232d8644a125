package io.berth.api.container;

import java.util.Map;

/** {@code HostConfig.LogConfig}: driver name ({@code json-file}, {@code none}, …) and its options. */
public record LogConfig(String type, Map<String, String> config) {}
