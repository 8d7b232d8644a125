package io.berth.engine.distribution;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.SearchResult;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry client on the JDK's {@code HttpClient}: the Docker Registry HTTP API v2 / OCI distribution API.
 * Endpoints come from {@link RegistryEndpoints} (mirrors for Docker Hub pulls, https, http for insecure registries),
 * TLS from the certs directory, authentication from {@link RegistryAuthorizer} with tokens cached across sessions.
 */
public final class HttpRegistryClient implements RegistryClient {
    /** Blobs larger than this are uploaded in PATCH chunks of this size; smaller ones in one PUT. */
    static final long DEFAULT_CHUNK_SIZE = 64L << 20;
    private static final int SEARCH_LIMIT = 4 << 20;

    private final RegistryEndpoints endpoints;
    private final RegistryTransport transport;
    private final TokenService tokens;
    private final RegistryLogin login;
    private final long chunkSize;
    /** The endpoint that last answered for each registry host, tried first by the next session. */
    private final Map<String, Endpoint> preferred = new ConcurrentHashMap<>();

    public HttpRegistryClient(RegistryOptions options) {
        this(options, true, RegistryTransport.RetryPolicy.DEFAULT, DEFAULT_CHUNK_SIZE, Duration.ofSeconds(60), Duration.ofSeconds(15));
    }

    /**
     * For tests: whether loopback is insecure, the retry policy, the upload chunk size, the timeout for response
     * headers, and the one for probing an endpoint that has a fallback.
     */
    HttpRegistryClient(RegistryOptions options, boolean loopbackInsecure, RegistryTransport.RetryPolicy retry, long chunkSize,
                       Duration headerTimeout, Duration probeTimeout) {
        this.endpoints = new RegistryEndpoints(options.mirrors(), new InsecureRegistries(options.insecureRegistries(), loopbackInsecure));
        this.transport = new RegistryTransport(new RegistryTls(options.certsDir()), retry, headerTimeout, probeTimeout);
        this.tokens = new TokenService(transport, Clock.systemUTC());
        this.login = new RegistryLogin(endpoints, transport, tokens);
        this.chunkSize = chunkSize;
    }

    @Override public RepositorySession open(Reference repository, AuthConfig auth, boolean push) {
        RegistryCredentials creds = RegistryCredentials.of(auth);
        List<Endpoint> all = endpoints.lookup(repository.domain(), !push);
        List<Endpoint> own = all.stream().filter(e -> !e.mirror()).toList();
        RepositorySession registry = session(repository, push, own, creds);
        if (own.size() == all.size()) return registry;
        List<RepositorySession> sessions = new ArrayList<>();
        for (Endpoint mirror : all) {
            if (mirror.mirror()) sessions.add(session(repository, false, List.of(mirror), RegistryCredentials.NONE));
        }
        sessions.add(registry);
        return new MirroredSession(sessions);
    }

    private RepositorySession session(Reference repository, boolean push, List<Endpoint> candidates, RegistryCredentials creds) {
        return new HttpRepositorySession(repository, push, () -> connect(candidates, creds), chunkSize);
    }

    private RegistryConnection connect(List<Endpoint> candidates, RegistryCredentials creds) {
        String key = candidates.getFirst().host() + (candidates.getFirst().mirror() ? "|mirror" : "");
        Endpoint known = preferred.get(key);
        List<Endpoint> ordered = new ArrayList<>(candidates);
        if (known != null && ordered.remove(known)) ordered.addFirst(known);
        RegistryConnection c = RegistryConnection.open(ordered, creds, transport, tokens);
        preferred.put(key, c.endpoint());
        return c;
    }

    @Override public List<SearchResult> search(String registryHost, String term, int limit, AuthConfig auth) {
        List<Endpoint> own = endpoints.lookup(registryHost, false).stream().filter(e -> !e.mirror()).toList();
        RegistryConnection c = connect(own, RegistryCredentials.of(auth));
        URI uri = c.uri("/v1/search?q=" + URLEncoder.encode(term, StandardCharsets.UTF_8) + "&n=" + limit);
        HttpResponse<InputStream> r = c.send(RegistryTransport.Request.of("GET", uri, List.of("registry:catalog:search"), Map.of()));
        try {
            byte[] body = RegistryTransport.readAll(r, SEARCH_LIMIT);
            if (r.statusCode() != 200) throw new BerthException.SystemError("Unexpected status code " + r.statusCode(), null);
            SearchResults results = Json.plain().readValue(body, SearchResults.class);
            return results.results() == null ? List.of() : results.results();
        } catch (IOException e) {
            throw new BerthException.SystemError("invalid search answer from " + registryHost + ": " + e.getMessage(), e);
        }
    }

    /** The {@code /v1/search} answer. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SearchResults(List<SearchResult> results) {}

    @Override public String login(AuthConfig auth) {
        return login.login(auth == null ? AuthConfig.NONE : auth);
    }
}
