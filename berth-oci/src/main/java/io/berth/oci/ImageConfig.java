package io.berth.oci;

import io.berth.oci.Digest;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.api.image.ContainerConfig;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * An OCI / Docker image configuration. The blob's bytes are kept as they are (the image ID is
 * their digest); this record is the parsed view. {@code config} is Docker's run configuration.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageConfig(
        String created,
        String author,
        String architecture,
        String os,
        String variant,
        JsonNode config,
        RootFs rootfs,
        List<History> history,
        String comment,
        @JsonProperty("docker_version") String dockerVersion,
        String container,
        @JsonProperty("container_config") JsonNode storedContainerConfig) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(String created, @JsonProperty("created_by") String createdBy, String author, String comment,
                          @JsonProperty("empty_layer") Boolean emptyLayer) {
        public boolean isEmptyLayer() { return Boolean.TRUE.equals(emptyLayer); }
    }

    public List<Digest> diffIds() {
        return rootfs == null || rootfs.diffIds() == null ? List.of() : rootfs.diffIds().stream().map(Digest::parse).toList();
    }

    /** The run configuration in Docker's wire shape (never null). */
    public ContainerConfig containerConfig() {
        if (config == null || config.isNull()) return Json.wire().convertValue(Json.wire().createObjectNode(), ContainerConfig.class);
        return Json.wire().convertValue(config, ContainerConfig.class);
    }

    /** The stored {@code container_config} (a build step's probe, a commit's container config) in wire shape, never null. */
    public ContainerConfig storedContainerConfigOrEmpty() {
        JsonNode c = storedContainerConfig == null || storedContainerConfig.isNull() ? Json.wire().createObjectNode() : storedContainerConfig;
        return Json.wire().convertValue(c, ContainerConfig.class);
    }

    /** Creation time in seconds, 0 when absent or unparsable. */
    public long createdEpochSeconds() {
        return createdInstant() == null ? 0 : createdInstant().getEpochSecond();
    }

    public Instant createdInstant() { return parseTime(created); }

    public static Instant parseTime(String text) {
        if (text == null || text.isEmpty()) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
