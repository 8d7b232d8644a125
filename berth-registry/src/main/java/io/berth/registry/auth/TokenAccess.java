package io.berth.registry.auth;

import io.berth.http.Headers;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens of the registry's own token service ({@code --token-realm}): every request needs a token signed by
 * the registry's key, for its service and issuer, not expired, whose {@code access} covers the needed scopes and
 * whose subject the {@link AccessRules} still allow them. Without a valid token the answer is Docker's challenge,
 * {@code 401 Bearer realm=…,service=…,scope=…} (with {@code error="invalid_token"} for a bad one); a token that
 * lacks a scope its subject may have is a 401 with {@code error="insufficient_scope"} (Docker fetches a new one);
 * a scope the subject may not have is a 403 {@code DENIED}.
 */
public final class TokenAccess implements RegistryAccess {
    private static final Logger LOG = LoggerFactory.getLogger(TokenAccess.class);
    /** Verified tokens are remembered (until they expire) so that a signature is checked once, not per request. */
    private static final int CACHE_LIMIT = 4096;

    private final TokenAuthority tokens;
    private final AccessRules rules;
    private final String realm;
    private final ExpiringCache<String, TokenAuthority.AccessToken> verified;

    public TokenAccess(TokenAuthority tokens, AccessRules rules, String realm, Clock clock) {
        this.tokens = tokens;
        this.verified = new ExpiringCache<>(CACHE_LIMIT, clock);
        this.rules = rules;
        this.realm = realm;
    }

    @Override public Decision check(Headers headers, List<Scope> needed) {
        String authorization = headers.get("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Refusals.bearer(realm, tokens.service(), needed, null, "authentication required");
        }
        TokenAuthority.AccessToken token;
        try {
            token = verify(authorization.substring(7).strip());
        } catch (InvalidTokenException e) {
            LOG.debug("refused token: {}", e.getMessage());
            return Refusals.bearer(realm, tokens.service(), needed, "invalid_token", e.getMessage());
        }
        for (Scope s : needed) {
            if (!rules.allows(token.subject(), s)) return token.subject().isEmpty()
                    ? Refusals.bearer(realm, tokens.service(), needed, "insufficient_scope", "authentication required")
                    : Refusals.denied();
            if (!token.covers(s)) return Refusals.bearer(realm, tokens.service(), needed, "insufficient_scope", "insufficient scope");
        }
        return new Allowed(token.subject());
    }

    private TokenAuthority.AccessToken verify(String raw) throws InvalidTokenException {
        TokenAuthority.AccessToken cached = verified.get(raw);
        if (cached != null) return cached;
        TokenAuthority.AccessToken token = tokens.verifyAccess(raw);
        verified.put(raw, token, token.expires());
        return token;
    }
}
