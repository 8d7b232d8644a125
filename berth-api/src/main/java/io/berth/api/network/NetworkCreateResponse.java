package io.berth.api.network;

/** The answer to {@code POST /networks/create}: the new network's ID and a warning ("" when none). */
public record NetworkCreateResponse(String id, String warning) {}
