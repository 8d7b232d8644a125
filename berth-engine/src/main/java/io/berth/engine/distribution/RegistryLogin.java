package io.berth.engine.distribution;

import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code docker login} as dockerd's {@code loginV2}: the registry of {@code serveraddress} (never a mirror) is pinged
 * at {@code GET /v2/} for its challenge, then {@code GET /v2/} is sent again with Basic credentials or a token
 * fetched with them ({@code offline_token=true}, so the token server may give a refresh token, returned as the
 * identity token). Success is a 200; a refusal is Unauthorized: the token server's words on the request
 * ({@code Get "https://host/v2/": unauthorized: …}) or {@code login attempt to https://host/v2/ failed with status:
 * 401 Unauthorized}.
 */
final class RegistryLogin {
    private final RegistryEndpoints endpoints;
    private final RegistryTransport transport;
    private final TokenService tokens;

    RegistryLogin(RegistryEndpoints endpoints, RegistryTransport transport, TokenService tokens) {
        this.endpoints = endpoints;
        this.transport = transport;
        this.tokens = tokens;
    }

    /** Checks the credentials; returns the identity token the registry gave, or "". */
    String login(AuthConfig auth) {
        RegistryCredentials creds = RegistryCredentials.of(auth);
        String domain = RegistryEndpoints.loginDomain(auth.serverAddress());
        RegistryConnection c = RegistryConnection.open(endpoints.lookup(domain, false), creds, transport, tokens);
        URI v2 = c.uri("/v2/");
        HttpResponse<InputStream> r = c.send(RegistryTransport.Request.of("GET", v2, List.of(), Map.of()));
        RegistryTransport.discard(r);
        if (r.statusCode() != 200) {
            String text = "login attempt to " + v2 + " failed with status: " + RegistryErrors.status(r.statusCode());
            throw r.statusCode() == 401 || r.statusCode() == 403 ? new BerthException.Unauthorized(text)
                    : new BerthException.Unavailable(text, null);
        }
        String refresh = c.authorizer().refreshToken();
        return refresh != null ? refresh : creds.identityToken() != null ? creds.identityToken() : "";
    }
}
