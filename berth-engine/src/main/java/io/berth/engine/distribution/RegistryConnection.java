package io.berth.engine.distribution;

import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * One registry endpoint chosen by pinging {@code GET /v2/} on the candidates in order (a mirror, https, http for an
 * insecure registry): the first that answers at all wins and its answer's challenge primes the authorizer. Requests
 * then go through the {@link RegistryTransport} with that endpoint's authorization; a registry that cannot be reached
 * is Unavailable with the connection error.
 */
final class RegistryConnection {
    private final Endpoint endpoint;
    private final RegistryAuthorizer auth;
    private final RegistryTransport transport;
    private final int pingStatus;

    private RegistryConnection(Endpoint endpoint, RegistryAuthorizer auth, RegistryTransport transport, int pingStatus) {
        this.endpoint = endpoint;
        this.auth = auth;
        this.transport = transport;
        this.pingStatus = pingStatus;
    }

    /** Pings the candidates in order; Unavailable with the last one's error when none answers. */
    static RegistryConnection open(List<Endpoint> candidates, RegistryCredentials creds, RegistryTransport transport, TokenService tokens) {
        BerthException.Unavailable failure = null;
        for (int i = 0; i < candidates.size(); i++) {
            Endpoint e = candidates.get(i);
            URI ping = e.resolve("/v2/");
            RegistryTransport.Request request = RegistryTransport.Request.of("GET", ping, List.of(), Map.of());
            try {
                boolean last = i == candidates.size() - 1;
                HttpResponse<InputStream> r = last ? transport.send(e, request, null) : transport.probe(e, request);
                RegistryTransport.discard(r);
                if (r.statusCode() >= 500 && !last) {
                    failure = new BerthException.Unavailable(RegistryErrors.urlError("GET", ping,
                            RegistryErrors.text(r.statusCode(), List.of())), null);
                    continue;
                }
                RegistryAuthorizer authorizer = new RegistryAuthorizer(e, e.mirror() ? RegistryCredentials.NONE : creds, tokens);
                if (r.statusCode() == 401) authorizer.challenge(Challenge.from(r.headers()));
                return new RegistryConnection(e, authorizer, transport, r.statusCode());
            } catch (IOException ex) {
                failure = RegistryErrors.unreachable("GET", ping, ex);
            }
        }
        throw failure == null ? new BerthException.Unavailable("no registry endpoint to try", null) : failure;
    }

    Endpoint endpoint() { return endpoint; }

    RegistryAuthorizer authorizer() { return auth; }

    /** The status {@code /v2/} answered when pinged. */
    int pingStatus() { return pingStatus; }

    URI uri(String path) { return endpoint.resolve(path); }

    /** Sends with retries; Unavailable when the registry stops answering. */
    HttpResponse<InputStream> send(RegistryTransport.Request request) {
        try {
            return transport.send(endpoint, request, auth);
        } catch (IOException e) {
            throw RegistryErrors.unreachable(request.method(), request.uri(), e);
        }
    }

    /** Sends once (a request whose body cannot be replayed); IOException as is, for the caller's own retry. */
    HttpResponse<InputStream> sendOnce(RegistryTransport.Request request) throws IOException {
        return transport.sendOnce(endpoint, request, auth);
    }
}
