package io.berth.registry.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What was verified, remembered until it expires so that a signature or a bcrypt round is paid once, not on every
 * request. Bounded: when full it starts over (verifying again is only slower).
 */
final class ExpiringCache<K, V> {
    private record Entry<V>(V value, Instant expires) {}

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final int limit;
    private final Clock clock;

    ExpiringCache(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** The value remembered for {@code key}, or null when there is none or it expired. */
    V get(K key) {
        Entry<V> e = entries.get(key);
        if (e == null) return null;
        if (clock.instant().isBefore(e.expires())) return e.value();
        entries.remove(key, e);
        return null;
    }

    void put(K key, V value, Instant expires) {
        if (entries.size() >= limit) entries.clear();
        entries.put(key, new Entry<>(value, expires));
    }
}
