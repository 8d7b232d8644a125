package io.berth.api.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code GET /distribution/{name}/json}: the descriptor of what the registry serves for a name, and its platforms. */
public record DistributionInspect(@JsonProperty("Descriptor") Descriptor descriptor,
                                  @JsonProperty("Platforms") List<Platform> platforms) {

    /** An OCI descriptor as the API shows it. */
    public record Descriptor(@JsonProperty("mediaType") String mediaType, @JsonProperty("digest") String digest,
                             @JsonProperty("size") long size) {}

    /** An OCI platform ({@code os.version}, {@code os.features}, {@code variant} and {@code features} omitted when empty, as Go's). */
    public record Platform(@JsonProperty("architecture") String architecture, @JsonProperty("os") String os,
                           @JsonProperty("os.version") @JsonInclude(JsonInclude.Include.NON_EMPTY) String osVersion,
                           @JsonProperty("os.features") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> osFeatures,
                           @JsonProperty("variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) String variant,
                           @JsonProperty("features") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> features) {}
}
