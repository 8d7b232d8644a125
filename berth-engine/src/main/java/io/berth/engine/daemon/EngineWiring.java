package io.berth.engine.daemon;

import io.berth.engine.errors.BerthException;

/** Builds the engine's services from its options. (Filled in as the stores land.) */
final class EngineWiring {
    private EngineWiring() {}

    static Engine wire(EngineOptions options, DataRootLock lock) {
        throw new BerthException.NotImplemented("engine wiring is not written yet");
    }
}
