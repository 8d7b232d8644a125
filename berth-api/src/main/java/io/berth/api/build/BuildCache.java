package io.berth.api.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One build cache entry of {@code GET /system/df}'s {@code BuildCache} list, as Docker's {@code types.BuildCache}:
 * the docker CLI's {@code system df -v} prints its ID, type, size, times, usage count and whether it is shared.
 */
public record BuildCache(
        @JsonProperty("ID") String id,
        @JsonProperty("Parent") @JsonInclude(JsonInclude.Include.NON_EMPTY) String parent,
        @JsonProperty("Parents") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> parents,
        @JsonProperty("Type") String type,
        @JsonProperty("Description") String description,
        @JsonProperty("InUse") boolean inUse,
        @JsonProperty("Shared") boolean shared,
        @JsonProperty("Size") long size,
        @JsonProperty("CreatedAt") String createdAt,
        @JsonProperty("LastUsedAt") String lastUsedAt,
        @JsonProperty("UsageCount") int usageCount) {}
