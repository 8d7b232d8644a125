package io.berth.api.registry;

import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes {@code X-Registry-Auth}: base64url (RFC 4648 §5) of an {@link AuthConfig}'s JSON, as the docker CLI,
 * docker-py and docker-java send it. Lenient as the issue asks: padding may be missing and the standard alphabet
 * ({@code +/}) is accepted too.
 */
public final class RegistryAuthHeader {
    private RegistryAuthHeader() {}

    /** {@link AuthConfig#NONE} for a missing or empty header; InvalidArgument "invalid X-Registry-Auth header: …" for garbage. */
    public static AuthConfig decode(String header) {
        if (header == null || header.isBlank()) return AuthConfig.NONE;
        try {
            byte[] json = Base64.getUrlDecoder().decode(unpadded(header));
            if (json.length == 0) return AuthConfig.NONE;
            AuthConfig c = Json.plain().readValue(json, AuthConfig.class);
            return c == null ? AuthConfig.NONE : c;
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new BerthException.InvalidArgument("invalid X-Registry-Auth header: " + e.getMessage());
        }
    }

    /** As {@link #decode}, but a bad header means no credentials (what dockerd does for pull). */
    public static AuthConfig decodeLeniently(String header) {
        try {
            return decode(header);
        } catch (BerthException.InvalidArgument e) {
            return AuthConfig.NONE;
        }
    }

    /**
     * Decodes {@code X-Registry-Config} ({@code POST /build}): the same encoding, of a map registry → credentials.
     * As moby's {@code getAuthConfigs}, a missing or bad header means no credentials.
     */
    public static Map<String, AuthConfig> decodeConfigLeniently(String header) {
        if (header == null || header.isBlank()) return Map.of();
        try {
            byte[] json = Base64.getUrlDecoder().decode(unpadded(header));
            if (json.length == 0) return Map.of();
            Map<String, AuthConfig> m = Json.plain().readValue(json,
                    Json.plain().getTypeFactory().constructMapType(LinkedHashMap.class, String.class, AuthConfig.class));
            return m == null ? Map.of() : m;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Map.of();
        }
    }

    /** Encodes a registry → credentials map as {@code X-Registry-Config}, as the docker CLI does. */
    public static String encodeConfig(Map<String, AuthConfig> configs) {
        try {
            return Base64.getUrlEncoder().encodeToString(Json.plain().writeValueAsBytes(configs));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base64url without padding, the standard alphabet's {@code +/} read as {@code -_}. */
    private static String unpadded(String header) {
        String s = header.strip().replace('+', '-').replace('/', '_');
        int pad = s.indexOf('=');
        return pad >= 0 ? s.substring(0, pad) : s;
    }

    /** Encodes {@code config} as a header value (base64url, padded), as the docker CLI does. */
    public static String encode(AuthConfig config) {
        try {
            return Base64.getUrlEncoder().encodeToString(Json.plain().writeValueAsBytes(config));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
