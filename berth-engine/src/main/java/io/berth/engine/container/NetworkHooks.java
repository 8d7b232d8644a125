package io.berth.engine.container;

import io.berth.api.container.EndpointSettings;
import io.berth.api.container.NetworkSettings;
import io.berth.api.container.NetworkingConfig;
import io.berth.api.container.Port;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    /**
     * At removal, before the client's answer: forgets the container on its networks as far as anyone can see (endpoints,
     * published ports, DNS names), and returns the slow rest (the kernel's teardown, after which its addresses are free),
     * to run after the answer. A daemon that stops before running it has it finished at its next start.
     */
    Runnable removed(String id);

    /** The environment legacy links give the container at start, before its own (none by default). */
    default List<String> linkEnv(Container c) { return List.of(); }

    /** {@code NetworkSettings} of inspect. */
    NetworkSettings settings(Container c);

    /** {@code Ports} of the ps list. */
    List<Port> ports(Container c);

    /** No networking beyond what the runtime does: containers get only {@code lo}. */
    NetworkHooks NONE = new NetworkHooks() {
        @Override public void created(Container c, NetworkingConfig config) { }

        @Override public Path setUp(Container c) { return null; }

        @Override public void tearDown(String id) { }

        @Override public Runnable removed(String id) { return () -> { }; }

        @Override public NetworkSettings settings(Container c) {
            String mode = c.hostConfig().networkMode() == null || c.hostConfig().networkMode().isEmpty()
                    ? "default" : c.hostConfig().networkMode();
            Map<String, EndpointSettings> networks = new LinkedHashMap<>();
            if (!mode.startsWith("container:")) {
                networks.put(mode.equals("default") ? "bridge" : mode,
                        new EndpointSettings(null, null, null, "", null, null, "", "", "", "", 0, "", "", 0, null));
            }
            return new NetworkSettings("", "", c.state().pid() > 0 ? "/proc/" + c.state().pid() + "/ns/net" : "", Map.of(), false,
                    "", 0, null, null, "", "", "", 0, "", 0, "", "", networks);
        }

        @Override public List<Port> ports(Container c) { return List.of(); }
    };
}
