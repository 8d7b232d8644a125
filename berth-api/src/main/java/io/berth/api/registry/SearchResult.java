package io.berth.api.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code GET /images/search}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SearchResult(@JsonProperty("name") String name, @JsonProperty("description") String description,
                           @JsonProperty("star_count") int starCount, @JsonProperty("is_official") boolean official,
                           @JsonProperty("is_automated") boolean automated) {}
