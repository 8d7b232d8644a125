package io.berth.api.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code GET /images/search}. */
public record SearchResult(@JsonProperty("name") String name, @JsonProperty("description") String description,
                           @JsonProperty("star_count") int starCount, @JsonProperty("is_official") boolean official,
                           @JsonProperty("is_automated") boolean automated) {}
