package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonInclude;

/** POST /containers/{id}/wait: the exit code, and an error when waiting itself failed. */
public record WaitResponse(long statusCode, @JsonInclude(JsonInclude.Include.NON_NULL) WaitError error) {
    public record WaitError(String message) {}
}
