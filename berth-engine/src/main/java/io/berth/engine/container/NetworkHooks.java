package io.berth.engine.container;

import io.berth.api.container.NetworkingConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the container lifecycle asks of networking: record a new container's attachments, set its
 * network up before the runtime creates it (the netns path to join, or null to let the runtime make
 * an empty one or use the host's), tear it down at exit, forget it at removal, and render it.
 */
public interface NetworkHooks {
    void created(Container c, NetworkingConfig config);

    Path setUp(Container c);

    void tearDown(String id);

    void removed(String id);

    /** {@code NetworkSettings} of inspect. */
    Map<String, Object> settings(Container c);

    /** {@code Ports} of the ps list. */
    List<Map<String, Object>> ports(Container c);

    /** No networking beyond what the runtime does: containers get only {@code lo}. */
    NetworkHooks NONE = new NetworkHooks() {
        @Override public void created(Container c, NetworkingConfig config) { }

        @Override public Path setUp(Container c) { return null; }

        @Override public void tearDown(String id) { }

        @Override public void removed(String id) { }

        @Override public Map<String, Object> settings(Container c) { return null; }

        @Override public List<Map<String, Object>> ports(Container c) { return List.of(); }
    };
}
