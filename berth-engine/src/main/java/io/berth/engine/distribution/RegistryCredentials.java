package io.berth.engine.distribution;

import io.berth.api.registry.AuthConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The credentials of one {@link AuthConfig}, as the registry client uses them: a username and password (from the
 * fields or from the base64 {@code auth} "user:password"), an identity (refresh) token for the OAuth token flow, or
 * a registry token sent as is.
 */
record RegistryCredentials(String username, String password, String identityToken, String registryToken) {
    static final RegistryCredentials NONE = new RegistryCredentials(null, null, null, null);

    static RegistryCredentials of(AuthConfig auth) {
        if (auth == null) return NONE;
        String user = blankToNull(auth.username());
        String pass = blankToNull(auth.password());
        if (user == null && blankToNull(auth.auth()) != null) {
            String decoded = decode(auth.auth().trim());
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                user = decoded.substring(0, colon);
                pass = decoded.substring(colon + 1);
            }
        }
        return new RegistryCredentials(user, pass, blankToNull(auth.identityToken()), blankToNull(auth.registryToken()));
    }

    boolean hasPassword() { return username != null && password != null; }

    boolean isEmpty() { return username == null && identityToken == null && registryToken == null; }

    /** {@code Basic base64(user:password)}. */
    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** What distinguishes these credentials in a token cache, without keeping the secret readable. */
    String cacheKey() {
        return isEmpty() ? "" : username + "\0" + Integer.toHexString(java.util.Objects.hash(password, identityToken, registryToken));
    }

    private static String decode(String b64) {
        try {
            return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            try {
                return new String(Base64.getUrlDecoder().decode(b64), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e2) {
                return "";
            }
        }
    }

    private static String blankToNull(String s) { return s == null || s.isEmpty() ? null : s; }

    @Override public String toString() { return "RegistryCredentials[" + (username == null ? "anonymous" : username) + "]"; }
}
