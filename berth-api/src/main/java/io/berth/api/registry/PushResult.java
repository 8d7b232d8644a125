package io.berth.api.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code aux} of a push stream after each tag (moby's {@code types.PushResult}):
 * {@code {"Tag":"latest","Digest":"sha256:…","Size":527}}, the manifest as the registry stores it.
 */
public record PushResult(@JsonProperty("Tag") String tag, @JsonProperty("Digest") String digest,
                         @JsonProperty("Size") int size) {}
