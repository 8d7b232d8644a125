package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An entry of {@code Mounts} in container inspect and list: {@code type} is volume, bind or tmpfs;
 * {@code name} and {@code driver} are set for volumes only (absent otherwise), {@code source} is the
 * host path (empty for tmpfs).
 */
public record MountPoint(
        String type,
        @JsonInclude(JsonInclude.Include.NON_NULL) String name,
        String source,
        String destination,
        @JsonInclude(JsonInclude.Include.NON_NULL) String driver,
        String mode,
        @JsonProperty("RW") boolean rw,
        String propagation) {}
