package io.berth.api.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer of {@code POST /auth}: {@code {"Status":"Login Succeeded","IdentityToken":"…"}}. */
public record AuthResponse(@JsonProperty("Status") String status, @JsonProperty("IdentityToken") String identityToken) {}
