package io.berth.api.exec;

/** {@code {"Id": …}}, the answer of POST /containers/{id}/exec. */
public record IdResponse(String id) {}
