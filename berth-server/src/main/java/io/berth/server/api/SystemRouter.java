package io.berth.server.api;

import io.berth.api.ApiVersion;
import io.berth.api.Filters;
import io.berth.api.Json;
import io.berth.api.build.BuildCache;
import io.berth.api.events.EventMessage;
import io.berth.api.system.DiskUsage;
import io.berth.engine.service.BuildService;
import io.berth.engine.service.SystemService;
import io.berth.engine.service.EventService;
import io.berth.api.events.EventFilter;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** {@code /_ping}, {@code /version}, {@code /info}, {@code /system/df}, {@code /events}. */
public final class SystemRouter implements Router.Routes {
    private static final Set<String> DF_TYPES = Set.of("container", "image", "volume", "build-cache");

    private final SystemService system;
    private final EventService events;
    private final BuildService builds;

    /** {@code builds} lists the build cache in {@code /system/df}; null leaves it empty. */
    public SystemRouter(SystemService system, EventService events, BuildService builds) {
        this.system = system;
        this.events = events;
        this.builds = builds;
    }

    @Override public void register(Router.Builder r) {
        r.get("/_ping", this::ping)
                .head("/_ping", this::ping)
                .get("/version", (req, res) -> res.json(200, system.version()))
                .get("/info", (req, res) -> res.json(200, system.info()))
                .get("/system/df", this::diskUsage)
                .get("/events", this::events);
    }

    private void ping(Request req, Response res) throws IOException {
        res.header("Api-Version", ApiVersion.CURRENT.toString())
                .header("Builder-Version", "1")
                .header("Swarm", "inactive")
                .header("Cache-Control", "no-cache, no-store, must-revalidate")
                .header("Pragma", "no-cache");
        res.text(200, req.method().equals("HEAD") ? "" : "OK");
    }

    private void diskUsage(Request req, Response res) throws IOException {
        Set<String> types = new LinkedHashSet<>();
        for (String t : req.queryAll("type")) {
            if (!DF_TYPES.contains(t)) throw new IllegalArgumentException("unknown object type: " + t);
            types.add(t);
        }
        DiskUsage usage = system.diskUsage(types);
        if (builds != null && usage.buildCache() != null) {
            usage = new DiskUsage(usage.layersSize(), usage.images(), usage.containers(), usage.volumes(),
                    List.<Object>copyOf(builds.cache().stream().map(SystemRouter::buildCache).toList()));
        }
        res.json(200, usage);
    }

    private static BuildCache buildCache(BuildService.BuildCacheRecord r) {
        return new BuildCache(r.id(), null, r.parent() == null ? List.of() : List.of(r.parent()), r.type(),
                r.description(), r.inUse(), r.shared(), r.size(), r.createdAt(), r.lastUsedAt(), r.usageCount());
    }

    private void events(Request req, Response res) throws IOException {
        Predicate<EventMessage> filter = EventFilter.of(Filters.parse(req.query("filters")));
        Long since = timestamp("since", req.query("since"));
        Long until = timestamp("until", req.query("until"));
        if (since != null && until != null && until < since) {
            throw new IllegalArgumentException("`since` time (" + req.query("since") + ") cannot be after `until` time ("
                    + req.query("until") + ")");
        }
        long now = nanos(Instant.now());
        boolean onlyPast = until != null && until < now;
        // moby replays the retained events when since or until is given
        Predicate<EventMessage> replay = since == null && until == null ? e -> false
                : e -> (since == null || e.timeNano() >= since) && (until == null || e.timeNano() <= until);
        try (EventService.Subscription sub = events.subscribe(filter, replay)) {
            OutputStream out = res.stream(200, "application/json");
            if (onlyPast) {
                for (EventMessage e : sub.drain()) if (e.timeNano() <= until) write(out, e);
                return;
            }
            Thread handler = Thread.currentThread();
            req.onClientClose(handler::interrupt);
            out.flush(); // the client waits for the headers before it shows anything
            while (true) {
                Duration wait = Duration.ofMinutes(10);
                if (until != null) {
                    long left = until - nanos(Instant.now());
                    if (left <= 0) return;
                    wait = Duration.ofNanos(left);
                }
                EventMessage e;
                try {
                    e = sub.next(wait);
                } catch (InterruptedException gone) {
                    return; // the client closed the connection
                }
                if (e == null) continue;
                if (until != null && e.timeNano() > until) return;
                write(out, e);
                for (EventMessage more : sub.drain()) {
                    if (until != null && more.timeNano() > until) {
                        out.flush();
                        return;
                    }
                    write(out, more);
                }
                out.flush();
            }
        }
    }

    private static void write(OutputStream out, EventMessage e) throws IOException {
        out.write(Json.wire().writeValueAsBytes(e));
        out.write('\n');
    }

    private static long nanos(Instant i) { return i.getEpochSecond() * 1_000_000_000L + i.getNano(); }

    /**
     * Parses Docker's timestamp parameter: Unix seconds with an optional fraction of up to nine
     * digits ({@code 1700000000.123456789}), or RFC 3339. Returns Unix nanoseconds, null if absent.
     */
    static Long timestamp(String name, String value) {
        if (value == null || value.isEmpty()) return null;
        int dot = value.indexOf('.');
        String secs = dot < 0 ? value : value.substring(0, dot);
        String frac = dot < 0 ? "" : value.substring(dot + 1);
        if (!secs.isEmpty() && secs.chars().allMatch(Character::isDigit) && frac.length() <= 9
                && frac.chars().allMatch(Character::isDigit) && secs.length() <= 12) {
            long s = Long.parseLong(secs);
            long n = frac.isEmpty() ? 0 : Long.parseLong((frac + "000000000").substring(0, 9));
            return s * 1_000_000_000L + n;
        }
        try {
            return nanos(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid value for " + name + ": " + value
                    + " (expected Unix seconds or an RFC 3339 time)");
        }
    }
}
