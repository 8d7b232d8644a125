package io.berth.api.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** One event of GET /events, in Docker's shape (with the legacy status/id/from fields). */
public record EventMessage(
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("status") String status,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("id") String id,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("from") String from,
        @JsonProperty("Type") String type,
        @JsonProperty("Action") String action,
        @JsonProperty("Actor") Actor actor,
        @JsonProperty("scope") String scope,
        @JsonProperty("time") long time,
        @JsonProperty("timeNano") long timeNano) {

    public record Actor(@JsonProperty("ID") String id, @JsonProperty("Attributes") Map<String, String> attributes) {}
}
