package io.berth.engine.service;

import io.berth.api.JsonMessage;

/** Receives the progress messages of a streaming operation; the server flushes each one at once. */
@FunctionalInterface
public interface ProgressSink {
    ProgressSink DISCARD = m -> {};

    void send(JsonMessage message);
}
