package io.berth.api.container;

import java.util.Map;

/** {@code NetworkingConfig}: network name or id to the endpoint asked for. */
public record NetworkingConfig(Map<String, EndpointSettings> endpointsConfig) {}
