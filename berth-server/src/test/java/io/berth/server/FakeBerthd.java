package io.berth.server;

import io.berth.server.api.Backends;

import io.berth.engine.events.EventBus;

/** berthd over fake backends, for trying the API by hand with the docker CLI before the engine exists. */
public final class FakeBerthd {
    private FakeBerthd() {}

    public static void main(String[] args) throws Exception {
        DaemonConfig config = Berthd.configOrExit(args);
        EventBus events = new EventBus();
        Berthd d = Berthd.start(config, Backends.basic(new Fakes.System(), events, new Fakes.Images(), Fakes.noContainers()), () -> { });
        events.publish("image", "load", "sha256:abc", java.util.Map.of("name", "busybox:latest"));
        Berthd.serveUntilSignalled(d);
    }
}
