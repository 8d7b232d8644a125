package io.berth.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Issues and verifies the registry's tokens, JWTs signed with its {@link SigningKey}: access tokens as distribution's
 * token spec has them ({@code iss}, {@code sub}, {@code aud} = the service, {@code exp}, {@code nbf}, {@code iat},
 * {@code jti}, {@code access: [{type, name, actions}]}), and refresh tokens (Docker's identity token) that carry no
 * access but a fingerprint of the user's password hash, so a changed password revokes them. The two are told apart
 * by {@code token_use}; one is never accepted as the other.
 */
public final class TokenAuthority {
    /** What a verified access token says. */
    public record AccessToken(String subject, List<Scope> access, Instant expires) {
        /** True if the token grants every action of {@code needed}. */
        public boolean covers(Scope needed) {
            Set<String> held = new TreeSet<>();
            for (Scope s : access) if (s.type().equals(needed.type()) && s.name().equals(needed.name())) held.addAll(s.expandedActions());
            return held.containsAll(needed.expandedActions());
        }
    }

    /** A refresh token's subject and the password fingerprint it was issued under. */
    public record RefreshToken(String subject, String fingerprint) {}

    /** Tokens are valid from a little before they were issued, for clocks that differ slightly. */
    private static final Duration LEEWAY = Duration.ofSeconds(30);

    private final Jwt jwt;
    private final String issuer;
    private final String service;
    private final Duration ttl;
    private final Duration refreshTtl;
    private final Clock clock;

    public TokenAuthority(SigningKey key, String issuer, String service, Duration ttl, Duration refreshTtl, Clock clock) {
        this.jwt = new Jwt(key);
        this.issuer = issuer;
        this.service = service;
        this.ttl = ttl;
        this.refreshTtl = refreshTtl;
        this.clock = clock;
    }

    public String service() { return service; }

    public Duration ttl() { return ttl; }

    public Instant now() { return clock.instant(); }

    /** An access token for {@code subject} ("" = anonymous) granting {@code access} (scopes without actions are left out). */
    public String issueAccess(String subject, List<Scope> access, Instant now) {
        Map<String, Object> claims = base(subject, "access", now, ttl);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Scope s : access) {
            if (s.actions().isEmpty()) continue;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", s.type());
            entry.put("name", s.name());
            entry.put("actions", List.copyOf(new TreeSet<>(s.actions())));
            list.add(entry);
        }
        claims.put("access", list);
        return jwt.sign(claims);
    }

    /** A refresh token for {@code subject} whose password hash has {@code fingerprint}. */
    public String issueRefresh(String subject, String fingerprint, Instant now) {
        Map<String, Object> claims = base(subject, "refresh", now, refreshTtl);
        claims.put("pwf", fingerprint);
        return jwt.sign(claims);
    }

    private Map<String, Object> base(String subject, String use, Instant now, Duration validFor) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", service);
        claims.put("exp", now.plus(validFor).getEpochSecond());
        claims.put("nbf", now.minus(LEEWAY).getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("token_use", use);
        return claims;
    }

    /** The access token {@code token}, if signed by this registry's key for its service and still valid. */
    public AccessToken verifyAccess(String token) throws InvalidTokenException {
        JsonNode c = verify(token, "access");
        List<Scope> access = new ArrayList<>();
        JsonNode list = c.path("access");
        if (!list.isArray()) throw new InvalidTokenException("malformed token access");
        for (JsonNode e : list) {
            Set<String> actions = new TreeSet<>();
            for (JsonNode a : e.path("actions")) actions.add(a.asText());
            access.add(new Scope(e.path("type").asText(), e.path("name").asText(), actions));
        }
        return new AccessToken(c.path("sub").asText(), access, Instant.ofEpochSecond(c.path("exp").asLong()));
    }

    /** The refresh token {@code token}, if signed by this registry's key for its service and still valid. */
    public RefreshToken verifyRefresh(String token) throws InvalidTokenException {
        JsonNode c = verify(token, "refresh");
        return new RefreshToken(c.path("sub").asText(), c.path("pwf").asText());
    }

    private JsonNode verify(String token, String use) throws InvalidTokenException {
        JsonNode c = jwt.verify(token);
        if (!issuer.equals(c.path("iss").asText())) throw new InvalidTokenException("token from another issuer");
        if (!audienceMatches(c.path("aud"))) throw new InvalidTokenException("token for another service");
        if (!use.equals(c.path("token_use").asText())) throw new InvalidTokenException("not an " + use + " token");
        if (!c.path("sub").isTextual() || !c.path("exp").canConvertToLong() || !c.path("nbf").canConvertToLong()) {
            throw new InvalidTokenException("malformed token claims");
        }
        long now = clock.instant().getEpochSecond();
        if (now >= c.path("exp").asLong()) throw new InvalidTokenException("token expired");
        if (now < c.path("nbf").asLong()) throw new InvalidTokenException("token not valid yet");
        return c;
    }

    private boolean audienceMatches(JsonNode aud) {
        if (aud.isTextual()) return service.equals(aud.asText());
        if (aud.isArray()) for (JsonNode a : aud) if (service.equals(a.asText())) return true;
        return false;
    }
}
