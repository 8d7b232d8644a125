package io.berth.engine.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Docker's Bearer token flow (distribution's {@code auth/token} handler): {@code GET realm?service=&scope=…
 * &offline_token=true&client_id=docker[&account=]} with Basic credentials when there are any (an anonymous token
 * otherwise), or, holding an identity (refresh) token, {@code POST realm} with {@code grant_type=refresh_token}
 * (a 404 falls back to {@code GET}). Tokens ({@code token} or {@code access_token}) are cached per realm, service,
 * scope set and credentials until {@code issued_at + expires_in}.
 */
final class TokenService {
    /** A token, when it stops being valid, and the refresh token the server gave with it (or null). */
    record Token(String value, Instant expires, String refreshToken) {}

    static final String CLIENT_ID = "docker";
    private static final int MIN_EXPIRES_SECONDS = 60;
    private static final int TOKEN_BODY_LIMIT = 1 << 20;

    private final RegistryTransport transport;
    private final Clock clock;
    private final Map<String, Token> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    TokenService(RegistryTransport transport, Clock clock) {
        this.transport = transport;
        this.clock = clock;
    }

    /**
     * A valid token for {@code scopes}, from the cache or the token server of {@code challenge}; {@code endpoint}
     * is the registry's (its TLS setting applies to the realm on the same host). Unauthorized with the server's
     * words when it refuses.
     */
    Token token(Endpoint endpoint, Challenge challenge, List<String> scopes, RegistryCredentials creds) throws IOException {
        String realm = challenge.param("realm");
        if (realm == null || realm.isEmpty()) throw new IOException("bearer challenge without a realm");
        String service = challenge.param("service");
        String scopeSet = String.join(" ", new TreeSet<>(scopes));
        String key = realm + "\n" + service + "\n" + scopeSet + "\n" + creds.cacheKey();
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            Token cached = cache.get(key);
            if (cached != null && clock.instant().isBefore(cached.expires())) return cached;
            Token fresh = fetch(endpoint, URI.create(realm), service, List.copyOf(new TreeSet<>(scopes)), creds);
            cache.put(key, fresh);
            return fresh;
        }
    }

    /** Forgets every cached token of {@code realm} (after a registry refused one). */
    void invalidate(String realm) {
        cache.keySet().removeIf(k -> k.startsWith(realm + "\n"));
    }

    private Token fetch(Endpoint registry, URI realm, String service, List<String> scopes, RegistryCredentials creds) throws IOException {
        Endpoint realmEndpoint = new Endpoint(realm, realm.getRawAuthority(),
                registry.skipVerify() && Endpoint.authorityOf(realm).equals(registry.authority()), false);
        if (creds.identityToken() != null) {
            Optional<Token> oauth = postRefresh(realmEndpoint, realm, service, scopes, creds);
            if (oauth.isPresent()) return oauth.get();
        }
        StringBuilder query = new StringBuilder();
        if (service != null && !service.isEmpty()) param(query, "service", service);
        for (String scope : scopes) param(query, "scope", scope);
        param(query, "offline_token", "true");
        param(query, "client_id", CLIENT_ID);
        if (creds.hasPassword()) param(query, "account", creds.username());
        String base = realm.toString();
        URI uri = URI.create(base + (base.contains("?") ? "&" : "?") + query);
        RegistryTransport.Authorization basic = basicOnly(creds);
        HttpResponse<InputStream> response = transport.send(realmEndpoint,
                RegistryTransport.Request.of("GET", uri, List.of(), Map.of("Accept", "application/json")), basic);
        return read(response);
    }

    private Optional<Token> postRefresh(Endpoint realmEndpoint, URI realm, String service, List<String> scopes, RegistryCredentials creds) throws IOException {
        StringBuilder form = new StringBuilder();
        param(form, "grant_type", "refresh_token");
        param(form, "refresh_token", creds.identityToken());
        if (service != null && !service.isEmpty()) param(form, "service", service);
        param(form, "client_id", CLIENT_ID);
        param(form, "scope", String.join(" ", scopes));
        param(form, "access_type", "offline");
        byte[] body = form.toString().getBytes(StandardCharsets.UTF_8);
        RegistryTransport.Request request = RegistryTransport.Request.of("POST", realm, List.of(),
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"))
                .withBody(() -> new java.io.ByteArrayInputStream(body), body.length);
        HttpResponse<InputStream> response = transport.send(realmEndpoint, request, null);
        if (response.statusCode() == 404) {
            RegistryTransport.discard(response);
            return Optional.empty();
        }
        Token token = read(response);
        return Optional.of(token.refreshToken() == null ? new Token(token.value(), token.expires(), creds.identityToken()) : token);
    }

    private Token read(HttpResponse<InputStream> response) throws IOException {
        byte[] body = RegistryTransport.readAll(response, TOKEN_BODY_LIMIT);
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            throw RegistryErrors.toException(status, RegistryErrors.parse(status, response.headers(), body));
        }
        JsonNode json;
        try {
            json = Json.plain().readTree(body);
        } catch (IOException e) {
            throw new BerthException.Unauthorized("unable to decode token response: " + e.getMessage());
        }
        String token = json.path("token").asText("");
        if (token.isEmpty()) token = json.path("access_token").asText("");
        if (token.isEmpty()) throw new BerthException.Unauthorized("authorization server did not include a token in the response");
        long expiresIn = Math.max(json.path("expires_in").asLong(MIN_EXPIRES_SECONDS), MIN_EXPIRES_SECONDS);
        Instant issued = clock.instant();
        String issuedAt = json.path("issued_at").asText("");
        if (!issuedAt.isEmpty()) {
            try {
                issued = Instant.parse(issuedAt);
            } catch (DateTimeParseException ignored) {
                // Docker ignores a malformed issued_at too and counts from now
            }
        }
        String refresh = json.path("refresh_token").asText("");
        return new Token(token, issued.plus(Duration.ofSeconds(expiresIn)), refresh.isEmpty() ? null : refresh);
    }

    private static RegistryTransport.Authorization basicOnly(RegistryCredentials creds) {
        return new RegistryTransport.Authorization() {
            @Override public Optional<String> header(String method, URI uri, List<String> scopes) {
                return creds.hasPassword() ? Optional.of(creds.basicHeader()) : Optional.empty();
            }

            @Override public boolean renew(HttpHeaders challengeHeaders) { return false; }
        };
    }

    private static void param(StringBuilder sb, String name, String value) {
        if (!sb.isEmpty()) sb.append('&');
        sb.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
    }
}
