package io.berth.engine.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One record of a k8s-file log: what the container wrote on one stream up to a newline
 * ({@code content} then ends with {@code '\n'}) or, for a partial record, a piece of a longer line
 * (no newline). Concatenating the contents of a stream's records gives its exact output.
 */
public record LogEntry(Instant time, StdStream stream, byte[] content, boolean partial) {
    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }
}
