package io.berth.engine.service;

import io.berth.api.events.EventMessage;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** The engine's event stream, as {@code GET /events} serves it. */
public interface EventService {
    /**
     * Subscribes to events matching {@code filter}. The returned subscription first yields the
     * retained events accepted by {@code replay} (for {@code since}), then live ones; nothing is
     * lost or duplicated between the two.
     */
    Subscription subscribe(Predicate<EventMessage> filter, Predicate<EventMessage> replay);

    /** Number of live listeners, for /info's NEventsListener. */
    int listenerCount();

    /** A live subscription; close it when the client goes away. */
    interface Subscription extends AutoCloseable {
        /** The next event, or null if none arrived within {@code timeout}. */
        EventMessage next(Duration timeout) throws InterruptedException;

        /** Takes every event already queued, without waiting. */
        List<EventMessage> drain();

        @Override void close();
    }
}
