package io.berth.registry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A user name and password from an {@code Authorization: Basic …} header.
 *
 * @param user     the name before the first colon
 * @param password everything after it
 */
public record BasicCredentials(String user, String password) {
    /** The credentials of {@code authorization}, or empty when it is absent, not Basic or malformed. */
    public static Optional<BasicCredentials> parse(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) return Optional.empty();
        return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    /** Never prints the password. */
    @Override public String toString() { return "BasicCredentials[user=" + user + "]"; }
}
