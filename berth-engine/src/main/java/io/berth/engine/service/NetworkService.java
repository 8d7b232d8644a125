package io.berth.engine.service;

import io.berth.api.Filters;
import io.berth.api.container.EndpointSettings;
import io.berth.api.network.NetworkCreateRequest;
import java.util.List;
import java.util.Map;

/** What the {@code /networks} routes need: Docker's network resource, rendered as the API shows it. */
public interface NetworkService {
    /** {@code {"Id": …, "Warning": ""}}. */
    Map<String, Object> create(NetworkCreateRequest request);

    List<Map<String, Object>> list(Filters filters);

    Map<String, Object> inspect(String ref);

    void remove(String ref);

    /** {@code {"NetworksDeleted": [names]}}. */
    Map<String, Object> prune(Filters filters);

    void connect(String network, String container, EndpointSettings config);

    void disconnect(String network, String container, boolean force);
}
