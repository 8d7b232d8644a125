package io.berth.engine.image;

import io.berth.oci.Digest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Protects blobs and snapshots that an operation in progress has written but no image references
 * yet from garbage collection, as containerd's leases do. Close it when the operation ends.
 */
public final class Lease implements AutoCloseable {
    private final Set<Digest> held = ConcurrentHashMap.newKeySet();
    private final Set<Lease> registry;

    Lease(Set<Lease> registry) {
        this.registry = registry;
        registry.add(this);
    }

    public void hold(Digest d) { held.add(d); }

    boolean holds(Digest d) { return held.contains(d); }

    @Override public void close() { registry.remove(this); }
}
