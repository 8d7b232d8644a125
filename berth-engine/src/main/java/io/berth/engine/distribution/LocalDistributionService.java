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
    private final ImagePusher pusher;

    public LocalDistributionService(RegistryClient registries, ImagePusher pusher) {
        this.registries = registries;
        this.pusher = pusher;
    }

    @Override public void pull(PullRequest request, ProgressSink progress) {
        throw new BerthException.NotImplemented("pull: not wired yet");
    }

    @Override public void push(PushRequest request, ProgressSink progress) {
        pusher.push(request, progress);
    }

    @Override public AuthResponse login(AuthConfig config) {
        String token = registries.login(config == null ? AuthConfig.NONE : config);
        return new AuthResponse("Login Succeeded", token == null ? "" : token);
    }

    @Override public DistributionInspect inspect(String name, AuthConfig auth) {
        throw new BerthException.NotImplemented("distribution inspect: not wired yet");
    }

    @Override public List<SearchResult> search(String term, int limit, Filters filters, AuthConfig auth) {
        throw new BerthException.NotImplemented("search: not wired yet");
    }
}
