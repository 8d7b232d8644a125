package io.berth.engine.distribution;

import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.SearchResult;
import java.util.List;
import io.berth.oci.Reference;

/** Opens sessions with registries; checks credentials for {@code docker login}. */
public interface RegistryClient {
    /**
     * A session with {@code repository}'s registry (its mirrors first, for Docker Hub names and pulls), with
     * {@code auth}'s credentials if they are for that registry; {@code push} asks for push access too.
     */
    RepositorySession open(Reference repository, AuthConfig auth, boolean push);

    /**
     * {@code POST /auth}: checks {@code auth} against its {@code serveraddress} (Docker Hub when empty) as dockerd's
     * {@code loginV2}: challenge from {@code GET /v2/}, then Basic or a token; returns the identity (refresh) token the
     * registry gave, or "" — Unauthorized with the registry's message when it refuses.
     */
    String login(AuthConfig auth);

    /**
     * {@code docker search}: {@code GET /v1/search?q=&n=} on {@code registryHost} (never a mirror) with a token for
     * {@code registry:catalog:search}, as dockerd; a registry without the endpoint is dockerd's "Unexpected status
     * code N".
     */
    List<SearchResult> search(String registryHost, String term, int limit, AuthConfig auth);
}
