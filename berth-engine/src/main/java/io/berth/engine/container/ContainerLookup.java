package io.berth.engine.container;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * How other parts of the engine (networking) find containers and take a container's lock, so that
 * what they do to a container never interleaves with its start, exit or removal.
 */
public interface ContainerLookup {
    /** By full ID; empty when the container is gone. */
    Optional<Container> get(String id);

    /** By name, ID or unique ID prefix; {@code No such container} otherwise. */
    Container require(String ref);

    /** Runs {@code body} under the container's lock. */
    <T> T locked(String id, Supplier<T> body);
}
