package io.berth.engine.service;

import io.berth.api.Filters;
import io.berth.api.container.EndpointSettings;
import io.berth.api.network.NetworkCreateRequest;
import io.berth.api.network.NetworkCreateResponse;
import io.berth.api.network.NetworkPruneReport;
import io.berth.api.network.NetworkResource;
import java.util.List;

/** What the {@code /networks} routes need: Docker's network resource, as the API shows it. */
public interface NetworkService {
    NetworkCreateResponse create(NetworkCreateRequest request);

    List<NetworkResource> list(Filters filters);

    NetworkResource inspect(String ref);

    void remove(String ref);

    NetworkPruneReport prune(Filters filters);

    void connect(String network, String container, EndpointSettings config);

    void disconnect(String network, String container, boolean force);
}
