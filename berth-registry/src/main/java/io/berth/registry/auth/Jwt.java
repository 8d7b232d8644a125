package io.berth.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compact JWS (JSON Web Token) encoding with one {@link SigningKey}: signing a claim set, and reading one back only
 * when its header names exactly the key's algorithm (never {@code none}, no {@code crit}) and the signature checks.
 */
final class Jwt {
    /** Longer tokens are refused unread. */
    static final int MAX_LENGTH = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SigningKey key;

    Jwt(SigningKey key) { this.key = key; }

    String sign(Map<String, Object> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", key.algorithm());
        try {
            String signed = ENCODER.encodeToString(JSON.writeValueAsBytes(header)) + "." + ENCODER.encodeToString(JSON.writeValueAsBytes(claims));
            return signed + "." + ENCODER.encodeToString(key.sign(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of {@code token} once its header and signature are checked (nothing else is). */
    JsonNode verify(String token) throws InvalidTokenException {
        if (token.length() > MAX_LENGTH) throw new InvalidTokenException("token too long");
        int dot1 = token.indexOf('.'), dot2 = token.lastIndexOf('.');
        if (dot1 < 0 || dot2 == dot1 || token.indexOf('.', dot1 + 1) != dot2) throw new InvalidTokenException("malformed token");
        try {
            JsonNode header = JSON.readTree(DECODER.decode(token.substring(0, dot1)));
            if (!header.isObject() || !key.algorithm().equals(header.path("alg").asText()) || header.has("crit")) {
                throw new InvalidTokenException("unexpected token algorithm");
            }
            byte[] signature = DECODER.decode(token.substring(dot2 + 1));
            if (!key.verify(token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII), signature)) {
                throw new InvalidTokenException("invalid token signature");
            }
            JsonNode claims = JSON.readTree(DECODER.decode(token.substring(dot1 + 1, dot2)));
            if (!claims.isObject()) throw new InvalidTokenException("malformed token claims");
            return claims;
        } catch (IllegalArgumentException | IOException e) {
            throw new InvalidTokenException("malformed token");
        }
    }
}
