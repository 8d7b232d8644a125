package io.berth.api.network;

/** The body of {@code POST /networks/{id}/disconnect}. */
public record NetworkDisconnectRequest(String container, Boolean force) {}
