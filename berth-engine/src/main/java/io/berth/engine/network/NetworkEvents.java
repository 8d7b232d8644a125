package io.berth.engine.network;

import io.berth.engine.events.EventBus;
import java.util.HashMap;
import java.util.Map;

/** The {@code network} events Docker sends: create, destroy, connect and disconnect, with its attributes. */
final class NetworkEvents {
    private final EventBus bus;

    NetworkEvents(EventBus bus) { this.bus = bus; }

    void created(Network n) { bus.publish("network", "create", n.id(), attributes(n)); }

    void destroyed(Network n) { bus.publish("network", "destroy", n.id(), attributes(n)); }

    void connected(Network n, String containerId) { bus.publish("network", "connect", n.id(), attributes(n, containerId)); }

    void disconnected(Network n, String containerId) { bus.publish("network", "disconnect", n.id(), attributes(n, containerId)); }

    private static Map<String, String> attributes(Network n) {
        Map<String, String> a = new HashMap<>();
        a.put("name", n.name());
        a.put("type", n.driver());
        return a;
    }

    private static Map<String, String> attributes(Network n, String container) {
        Map<String, String> a = attributes(n);
        a.put("container", container);
        return a;
    }
}
