package io.berth.api.build;

import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Berth's {@code X-Berth-Build-Secrets} header of {@code POST /build}: the build secrets of {@code berth build
 * --secret id=x,src=path} (used by {@code RUN --mount=type=secret}). Docker's classic endpoint has no way to send
 * them (BuildKit asks the client over a session); a header keeps them out of the context tar, hence out of every
 * layer and of the cache. Its value is base64url (padding optional) of a JSON object mapping each secret ID to its
 * bytes in standard base64: {@code {"npmrc":"dG9rZW4="}}. HTTP header limits make it fit for tokens and key files,
 * not for large files.
 */
public final class BuildSecretsHeader {
    /** The header's name. */
    public static final String NAME = "X-Berth-Build-Secrets";

    private BuildSecretsHeader() {}

    /** The header value for {@code secrets} (ID → bytes). */
    public static String encode(Map<String, byte[]> secrets) {
        try {
            return Base64.getUrlEncoder().encodeToString(Json.plain().writeValueAsBytes(secrets));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The secrets of a header value; none when absent; InvalidArgument when it cannot be read. */
    public static Map<String, byte[]> decode(String header) {
        if (header == null || header.isBlank()) return Map.of();
        String s = header.strip().replace('+', '-').replace('/', '_');
        int pad = s.indexOf('=');
        if (pad >= 0) s = s.substring(0, pad);
        try {
            Map<String, byte[]> m = Json.plain().readValue(Base64.getUrlDecoder().decode(s),
                    Json.plain().getTypeFactory().constructMapType(LinkedHashMap.class, String.class, byte[].class));
            return m == null ? Map.of() : m;
        } catch (IllegalArgumentException | IOException e) {
            throw new BerthException.InvalidArgument("invalid " + NAME + " header: " + e.getMessage());
        }
    }
}
