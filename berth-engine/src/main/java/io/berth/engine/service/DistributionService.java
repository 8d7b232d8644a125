package io.berth.engine.service;

import io.berth.api.Filters;
import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.AuthResponse;
import io.berth.api.registry.DistributionInspect;
import io.berth.api.registry.SearchResult;
import java.util.List;

/**
 * Images to and from registries: pull, push, login, distribution inspect and search, as dockerd's
 * distribution and registry services. Progress goes to a {@link ProgressSink} with Docker's exact
 * stream messages. Errors are {@link io.berth.api.errors.BerthException}s with Docker's messages;
 * a registry's refusal of credentials is {@code Unauthorized} (the API answers 401, so that the
 * docker CLI asks for credentials and retries).
 */
public interface DistributionService {
    /**
     * {@code POST /images/create?fromImage=}: pulls {@code name} ({@code tag} may be a tag, a digest, or
     * null for {@code latest}; {@code allTags} pulls every tag); {@code platform} ({@code os[/arch[/variant]]})
     * may be null for the host's.
     */
    void pull(PullRequest request, ProgressSink progress);

    /** {@code POST /images/{name}/push}: pushes the local image {@code name} ({@code tag} null: every tag of the repository). */
    void push(PushRequest request, ProgressSink progress);

    /** {@code POST /auth}: checks the credentials against the registry; never stores them. */
    AuthResponse login(AuthConfig config);

    /** {@code GET /distribution/{name}/json}. */
    DistributionInspect inspect(String name, AuthConfig auth);

    /** {@code GET /images/search}. */
    List<SearchResult> search(String term, int limit, Filters filters, AuthConfig auth);

    /** A pull's parameters. */
    record PullRequest(String name, String tag, boolean allTags, String platform, AuthConfig auth) {}

    /** A push's parameters. */
    record PushRequest(String name, String tag, String platform, AuthConfig auth) {}
}
