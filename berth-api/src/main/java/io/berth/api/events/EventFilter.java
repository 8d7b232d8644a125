package io.berth.api.events;

import io.berth.api.Filters;
import io.berth.api.events.EventMessage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Docker's /events filters (type, event, image, container, label, network, volume, daemon, scope) as a predicate. */
public final class EventFilter {
    private static final Set<String> KEYS = Set.of("type", "event", "image", "container", "label", "network",
            "volume", "daemon", "scope", "plugin", "node", "service", "secret", "config");

    private EventFilter() {}

    /** Throws IllegalArgumentException for an unknown filter name. */
    public static Predicate<EventMessage> of(Filters filters) {
        filters.requireOnly(KEYS);
        return e -> matches(filters, "type", List.of(e.type()))
                && matches(filters, "event", actions(e.action()))
                && matches(filters, "scope", List.of(e.scope()))
                && (!filters.has("image") || e.type().equals("image") && matchesActor(filters.get("image"), e)
                    || e.type().equals("container") && filters.get("image").contains(attr(e, "image")))
                && actorFilter(filters, "container", e)
                && actorFilter(filters, "network", e)
                && actorFilter(filters, "volume", e)
                && labels(filters.get("label"), e.actor().attributes());
    }

    private static List<String> actions(String action) {
        int colon = action.indexOf(':');
        return colon > 0 ? List.of(action, action.substring(0, colon)) : List.of(action);
    }

    private static boolean matches(Filters f, String key, List<String> candidates) {
        if (!f.has(key)) return true;
        return f.get(key).stream().anyMatch(candidates::contains);
    }

    private static boolean actorFilter(Filters f, String type, EventMessage e) {
        if (!f.has(type)) return true;
        return e.type().equals(type) && matchesActor(f.get(type), e);
    }

    private static boolean matchesActor(List<String> wanted, EventMessage e) {
        String id = e.actor().id();
        String name = attr(e, "name");
        for (String w : wanted) {
            if (w.equals(name) || id.equals(w) || id.startsWith(w) || id.startsWith("sha256:" + w)) return true;
        }
        return false;
    }

    private static String attr(EventMessage e, String key) {
        String v = e.actor().attributes().get(key);
        return v == null ? "" : v;
    }

    private static boolean labels(List<String> wanted, Map<String, String> attrs) {
        for (String w : wanted) {
            int eq = w.indexOf('=');
            if (eq < 0 ? !attrs.containsKey(w) : !w.substring(eq + 1).equals(attrs.get(w.substring(0, eq)))) return false;
        }
        return true;
    }
}
