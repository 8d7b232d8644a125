package io.berth.engine.container;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One lock per container, made before the lifecycle and the networks so both can share it: every
 * transition of a container and every change to its networking happens under its lock.
 */
public final class ContainerLocks implements ContainerLookup {
    private final ContainerStore store;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public ContainerLocks(ContainerStore store) { this.store = store; }

    /** The container's lock object, made on first use. */
    Object of(String id) { return locks.computeIfAbsent(id, k -> new Object()); }

    /** Drops the lock of a removed container. */
    void forget(String id) { locks.remove(id); }

    @Override public <T> T locked(String id, Supplier<T> body) {
        synchronized (of(id)) {
            return body.get();
        }
    }

    @Override public Optional<Container> get(String id) { return store.get(id); }

    @Override public Container require(String ref) { return store.require(ref); }
}
