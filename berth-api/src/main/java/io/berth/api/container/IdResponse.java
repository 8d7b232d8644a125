package io.berth.api.container;

/** A response holding only an ID, as POST /commit answers. */
public record IdResponse(String id) {}
