package io.berth.api.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Docker's {@code AuthConfig}: the body of {@code POST /auth} and, base64url-encoded, the {@code X-Registry-Auth}
 * header of pull, push and {@code /distribution}. Its keys are lowercase on the wire. Any field may be null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthConfig(
        @JsonProperty("username") String username,
        @JsonProperty("password") String password,
        @JsonProperty("auth") String auth,
        @JsonProperty("email") String email,
        @JsonProperty("serveraddress") String serverAddress,
        @JsonProperty("identitytoken") String identityToken,
        @JsonProperty("registrytoken") String registryToken) {

    /** No credentials at all (anonymous access). */
    public static final AuthConfig NONE = new AuthConfig(null, null, null, null, null, null, null);
}
