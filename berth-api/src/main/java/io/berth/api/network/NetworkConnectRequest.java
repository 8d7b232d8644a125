package io.berth.api.network;

import io.berth.api.container.EndpointSettings;

/** The body of {@code POST /networks/{id}/connect}. */
public record NetworkConnectRequest(String container, EndpointSettings endpointConfig) {}
