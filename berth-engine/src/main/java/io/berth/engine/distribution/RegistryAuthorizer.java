package io.berth.engine.distribution;

import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code Authorization} of one endpoint and one set of credentials, as distribution's authorizer: the challenge
 * from the {@code /v2/} ping (or a later 401) decides between Basic ({@code no basic auth credentials} without a
 * password) and a Bearer token from the {@link TokenService}; a registry token is sent as is. Token server failures
 * are reported on the request they were for, in Go's words: {@code Get "https://host/v2/": unauthorized: …}.
 */
final class RegistryAuthorizer implements RegistryTransport.Authorization {
    private final Endpoint endpoint;
    private final RegistryCredentials creds;
    private final TokenService tokens;
    private volatile Challenge challenge;
    private volatile String refreshToken;

    RegistryAuthorizer(Endpoint endpoint, RegistryCredentials creds, TokenService tokens) {
        this.endpoint = endpoint;
        this.creds = creds;
        this.tokens = tokens;
    }

    /** Sets the challenge the ping answered with (none when {@code /v2/} answered 200). */
    void challenge(Optional<Challenge> c) { challenge = c.orElse(null); }

    Optional<Challenge> challenge() { return Optional.ofNullable(challenge); }

    /** The refresh token a token server gave (for {@code docker login}'s identity token), or null. */
    String refreshToken() { return refreshToken; }

    @Override public Optional<String> header(String method, URI uri, List<String> scopes) throws IOException {
        if (creds.registryToken() != null) return Optional.of("Bearer " + creds.registryToken());
        Challenge c = challenge;
        if (c == null) return Optional.empty();
        if (c.isBasic()) {
            if (!creds.hasPassword()) throw new BerthException.Unauthorized(RegistryErrors.urlError(method, uri, "no basic auth credentials"));
            return Optional.of(creds.basicHeader());
        }
        try {
            TokenService.Token token = tokens.token(endpoint, c, scopes, creds);
            if (token.refreshToken() != null) refreshToken = token.refreshToken();
            return Optional.of("Bearer " + token.value());
        } catch (BerthException e) {
            throw RegistryErrors.withMessage(e, RegistryErrors.urlError(method, uri, e.getMessage()));
        }
    }

    @Override public boolean renew(HttpHeaders challengeHeaders) {
        Optional<Challenge> fresh = Challenge.from(challengeHeaders);
        if (fresh.isEmpty() || creds.registryToken() != null) return false;
        Challenge old = challenge;
        Challenge now = fresh.get();
        challenge = now;
        if (old == null || !old.scheme().equals(now.scheme()) || !Objects.equals(old.param("realm"), now.param("realm"))) return true;
        if (now.isBearer() && !"insufficient_scope".equals(now.param("error"))) {
            tokens.invalidate(now.param("realm"));
            return true;
        }
        return false;
    }
}
