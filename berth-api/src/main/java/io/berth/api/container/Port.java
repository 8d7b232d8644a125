package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of a ps entry's {@code Ports}: a published port, or (without IP and public port) an exposed one. */
public record Port(
        @JsonProperty("IP") @JsonInclude(JsonInclude.Include.NON_NULL) String ip,
        int privatePort,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer publicPort,
        String type) {

    /** Exposed, not published. */
    public static Port exposed(int privatePort, String type) { return new Port(null, privatePort, null, type); }
}
