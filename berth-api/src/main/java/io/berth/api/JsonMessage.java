package io.berth.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One line of a streamed progress response (load, import, pull, push, build), as Docker's
 * {@code jsonmessage.JSONMessage}. Absent fields are omitted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JsonMessage(
        @JsonProperty("stream") String stream,
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("progress") String progress,
        @JsonProperty("progressDetail") ProgressDetail progressDetail,
        @JsonProperty("error") String error,
        @JsonProperty("errorDetail") ErrorDetail errorDetail,
        @JsonProperty("aux") Object aux) {

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record ProgressDetail(@JsonProperty("current") long current, @JsonProperty("total") long total) {}

    /**
     * {@code errorDetail}: the message and, for a failing build step, the command's exit code ({@code code}, which
     * the docker CLI exits with; omitted when null).
     */
    @JsonPropertyOrder({"code", "message"})
    public record ErrorDetail(@JsonProperty("code") @JsonInclude(JsonInclude.Include.NON_NULL) Integer code,
                              @JsonProperty("message") String message) {
        public ErrorDetail(String message) { this(null, message); }
    }

    public static JsonMessage stream(String text) { return new JsonMessage(text, null, null, null, null, null, null, null); }

    public static JsonMessage status(String id, String status) { return new JsonMessage(null, status, id, null, null, null, null, null); }

    public static JsonMessage progress(String id, String status, long current, long total) {
        return new JsonMessage(null, status, id, null, new ProgressDetail(current, total), null, null, null);
    }

    /** A progress update without counts ({@code progress.Update}): {@code progressDetail} present and empty. */
    public static JsonMessage update(String id, String status) {
        return new JsonMessage(null, status, id, null, new ProgressDetail(0, 0), null, null, null);
    }

    /** Progress with its counts and Docker's bar text ({@link JsonProgress}), as pull and push send it. */
    public static JsonMessage progressBar(String id, String status, long current, long total) {
        return new JsonMessage(null, status, id, JsonProgress.render(current, total), new ProgressDetail(current, total),
                null, null, null);
    }

    public static JsonMessage error(String message) {
        return new JsonMessage(null, null, null, null, null, message, new ErrorDetail(message), null);
    }

    /** An error with its code ({@code errorDetail.code}), as a failing RUN ends a build. */
    public static JsonMessage error(String message, int code) {
        return new JsonMessage(null, null, null, null, null, message, new ErrorDetail(code, message), null);
    }

    public static JsonMessage aux(Object aux) { return new JsonMessage(null, null, null, null, null, null, null, aux); }
}
