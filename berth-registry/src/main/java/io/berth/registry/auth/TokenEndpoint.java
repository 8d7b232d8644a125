package io.berth.registry.auth;

import io.berth.http.Handler;
import io.berth.http.Request;
import io.berth.http.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token service ({@code GET|POST <realm>}) of Docker's token flow. {@code GET ?service=&scope=…
 * [&offline_token=true]} authenticates the client by Basic credentials against htpasswd, or takes it as anonymous
 * when it sends none; the OAuth2 {@code POST} (form {@code grant_type=password} with {@code username}/{@code
 * password}, or {@code grant_type=refresh_token}) does the same with the form's credentials. The requested scopes
 * (several {@code scope} parameters, each maybe space-separated) are intersected with what the {@link AccessRules}
 * grant, a smaller grant is no error, and the answer is {@code {"token","access_token","expires_in","issued_at"
 * [,"refresh_token"]}}; a refresh token is given to an authenticated client that asked for offline access.
 */
public final class TokenEndpoint implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final int FORM_LIMIT = 64 * 1024;
    /** distribution's repository name grammar; scopes on other names are dropped. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    private final Supplier<Htpasswd> users;
    private final AccessRules rules;
    private final TokenAuthority tokens;

    public TokenEndpoint(Supplier<Htpasswd> users, AccessRules rules, TokenAuthority tokens) {
        this.users = users;
        this.rules = rules;
        this.tokens = tokens;
    }

    @Override public void handle(Request request, Response response) throws Exception {
        response.header("Cache-Control", "no-store");
        String target = request.target();
        Map<String, List<String>> params = Request.parseQuery(target.indexOf('?') < 0 ? "" : target.substring(target.indexOf('?') + 1));
        if (request.method().equals("POST")) {
            byte[] body = request.body().readNBytes(FORM_LIMIT + 1);
            if (body.length > FORM_LIMIT) {
                error(response, 400, "UNSUPPORTED", "token request too large");
                return;
            }
            params.putAll(Request.parseQuery(new String(body, StandardCharsets.US_ASCII)));
        }
        String service = first(params, "service");
        if (service != null && !service.isEmpty() && !service.equals(tokens.service())) {
            error(response, 400, "UNSUPPORTED", "unknown service " + service);
            return;
        }
        List<Scope> requested;
        try {
            requested = Scope.parseAll(params.getOrDefault("scope", List.of()));
        } catch (IllegalArgumentException e) {
            error(response, 400, "UNSUPPORTED", e.getMessage());
            return;
        }
        Optional<Client> client = request.method().equals("POST") ? oauthClient(params) : queryClient(request, params);
        if (client.isEmpty()) {
            error(response, 401, "UNAUTHORIZED", "incorrect username or password");
            return;
        }
        String subject = client.get().subject();
        List<Scope> granted = new ArrayList<>();
        for (Scope s : requested) {
            if (s.type().equals("repository") && !NAME.matcher(s.name()).matches()) continue;
            granted.add(rules.grant(subject, s));
        }
        Instant now = tokens.now();
        String token = tokens.issueAccess(subject, granted, now);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("access_token", token);
        body.put("expires_in", tokens.ttl().toSeconds());
        body.put("issued_at", now.toString());
        client.get().refreshToken().ifPresent(r -> body.put("refresh_token", r));
        LOG.debug("token for {} with {}", subject.isEmpty() ? "anonymous" : subject, granted);
        response.json(200, body);
    }

    /** Who asked, and the refresh token to hand back (if any). */
    private record Client(String subject, Optional<String> refreshToken) {}

    private Optional<Client> queryClient(Request request, Map<String, List<String>> params) {
        String authorization = request.headers().get("Authorization");
        if (authorization == null) return Optional.of(new Client("", Optional.empty()));
        Optional<BasicCredentials> creds = BasicCredentials.parse(authorization);
        if (creds.isEmpty() || !users.get().authenticate(creds.get().user(), creds.get().password())) return Optional.empty();
        String user = creds.get().user();
        boolean offline = "true".equals(first(params, "offline_token"));
        return Optional.of(new Client(user, offline ? refresh(user) : Optional.empty()));
    }

    private Optional<Client> oauthClient(Map<String, List<String>> params) {
        String grant = String.valueOf(first(params, "grant_type"));
        switch (grant) {
            case "password" -> {
                String user = first(params, "username"), password = first(params, "password");
                if (user == null || password == null || !users.get().authenticate(user, password)) return Optional.empty();
                boolean offline = "offline".equals(first(params, "access_type"));
                return Optional.of(new Client(user, offline ? refresh(user) : Optional.empty()));
            }
            case "refresh_token" -> {
                String raw = first(params, "refresh_token");
                if (raw == null) return Optional.empty();
                try {
                    TokenAuthority.RefreshToken r = tokens.verifyRefresh(raw);
                    Optional<String> current = users.get().fingerprint(r.subject());
                    if (current.isEmpty() || !current.get().equals(r.fingerprint())) return Optional.empty();
                    return Optional.of(new Client(r.subject(), Optional.of(raw)));
                } catch (InvalidTokenException e) {
                    LOG.debug("refused refresh token: {}", e.getMessage());
                    return Optional.empty();
                }
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private Optional<String> refresh(String user) {
        return users.get().fingerprint(user).map(f -> tokens.issueRefresh(user, f, tokens.now()));
    }

    private static void error(Response response, int status, String code, String message) throws IOException {
        response.json(status, Map.of("errors", List.of(Map.of("code", code, "message", message))));
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }
}
