package io.berth.engine.events;

import io.berth.api.events.EventMessage;
import io.berth.engine.service.EventService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Publishes engine events to live subscribers and keeps the most recent ones so that
 * {@code /events?since=} can replay them, as dockerd does.
 */
public final class EventBus implements EventService {
    private static final int HISTORY = 1024;

    private final ArrayDeque<EventMessage> history = new ArrayDeque<>();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final Runnable counted;

    public EventBus() { this(() -> { }); }

    /** {@code counted} runs for every event published (the events counter of the metrics). */
    public EventBus(Runnable counted) { this.counted = counted; }

    /** Emits an event; legacy fields (status, id, from) are filled for container and image events as moby does. */
    public EventMessage publish(String type, String action, String actorId, Map<String, String> attributes) {
        Instant now = Instant.now();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        boolean legacy = type.equals("container") || type.equals("image");
        EventMessage event = new EventMessage(
                legacy ? action : null,
                legacy ? actorId : null,
                type.equals("container") ? attributes.get("image") : null,
                type, action, new EventMessage.Actor(actorId, Map.copyOf(attributes)),
                "local", now.getEpochSecond(), nanos);
        synchronized (history) {
            history.addLast(event);
            if (history.size() > HISTORY) history.removeFirst();
            for (Subscription s : subscribers) s.offer(event);
        }
        counted.run();
        return event;
    }

    @Override public EventService.Subscription subscribe(Predicate<EventMessage> filter, Predicate<EventMessage> replay) {
        Subscription s = new Subscription(filter);
        synchronized (history) {
            for (EventMessage e : history) if (replay.test(e)) s.offer(e);
            subscribers.add(s);
        }
        return s;
    }

    @Override public int listenerCount() { return subscribers.size(); }

    private final class Subscription implements EventService.Subscription {
        private final Predicate<EventMessage> filter;
        private final LinkedBlockingQueue<EventMessage> queue = new LinkedBlockingQueue<>();

        private Subscription(Predicate<EventMessage> filter) { this.filter = filter; }

        private void offer(EventMessage e) { if (filter.test(e)) queue.add(e); }

        @Override public EventMessage next(Duration timeout) throws InterruptedException {
            return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override public List<EventMessage> drain() {
            List<EventMessage> out = new ArrayList<>();
            queue.drainTo(out);
            return out;
        }

        @Override public void close() { subscribers.remove(this); }
    }
}
