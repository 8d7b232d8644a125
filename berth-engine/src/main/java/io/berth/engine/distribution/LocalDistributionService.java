package io.berth.engine.distribution;

import io.berth.api.Filters;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.AuthResponse;
import io.berth.api.registry.DistributionInspect;
import io.berth.api.registry.SearchResult;
import io.berth.engine.service.DistributionService;
import io.berth.engine.service.ProgressSink;
import java.util.List;

/** The face's {@link DistributionService}: pull, push and inspect over a {@link RegistryClient}. */
public final class LocalDistributionService implements DistributionService {
    private final RegistryClient registries;
    private final ImagePuller puller;
    private final ImagePusher pusher;
    private final DistributionInspector inspector;

    public LocalDistributionService(RegistryClient registries, ImagePuller puller, ImagePusher pusher) {
        this.registries = registries;
        this.puller = puller;
        this.pusher = pusher;
        this.inspector = new DistributionInspector(registries);
    }

    @Override public void pull(PullRequest request, ProgressSink progress) {
        puller.pull(request, progress);
    }

    @Override public void push(PushRequest request, ProgressSink progress) {
        pusher.push(request, progress);
    }

    @Override public AuthResponse login(AuthConfig config) {
        String token = registries.login(config == null ? AuthConfig.NONE : config);
        return new AuthResponse("Login Succeeded", token == null ? "" : token);
    }

    @Override public DistributionInspect inspect(String name, AuthConfig auth) {
        return inspector.inspect(name, auth);
    }

    /**
     * As dockerd's {@code SearchRegistryForImages}: a term {@code host/name} whose first part is a registry host
     * searches that registry for {@code name}, anything else Docker Hub's index; results are filtered by
     * {@code is-official}, {@code is-automated} and {@code stars}. Docker Hub is refused without a network call: this
     * daemon reaches registries on its own network only.
     */
    @Override public List<SearchResult> search(String term, int limit, Filters filters, AuthConfig auth) {
        int slash = term.indexOf('/');
        String first = slash < 0 ? "" : term.substring(0, slash);
        boolean hub = !(first.contains(".") || first.contains(":") || first.equals("localhost"))
                || first.equals("docker.io") || first.equals("index.docker.io");
        if (hub) {
            throw new BerthException.Unavailable("Get \"https://index.docker.io/v1/search?q=" + term + "&n=" + limit
                    + "\": searching Docker Hub is not supported by this daemon", null);
        }
        int stars = filters.get("stars").stream().mapToInt(Integer::parseInt).max().orElse(0);
        return registries.search(first, term.substring(slash + 1), limit, auth).stream()
                .filter(r -> r.starCount() >= stars)
                .filter(r -> filters.get("is-official").stream().allMatch(v -> Boolean.parseBoolean(v) == r.official()))
                .filter(r -> filters.get("is-automated").stream().allMatch(v -> Boolean.parseBoolean(v) == r.automated()))
                .toList();
    }
}
