package io.berth.api.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /distribution/{name}/json}: the descriptor of what the registry serves for a name, and its platforms. */
public record DistributionInspect(@JsonProperty("Descriptor") Descriptor descriptor,
                                  @JsonProperty("Platforms") List<Platform> platforms) {

    /** An OCI descriptor as the API shows it. */
    public record Descriptor(@JsonProperty("mediaType") String mediaType, @JsonProperty("digest") String digest,
                             @JsonProperty("size") long size) {}

    /** An OCI platform. */
    public record Platform(@JsonProperty("architecture") String architecture, @JsonProperty("os") String os,
                           @JsonProperty("os.version") String osVersion, @JsonProperty("os.features") List<String> osFeatures,
                           @JsonProperty("variant") String variant, @JsonProperty("features") List<String> features) {}
}
