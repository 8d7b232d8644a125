package io.berth.engine.build;

import io.berth.api.Filters;
import io.berth.api.TimeFilters;
import io.berth.api.errors.BerthException;
import io.berth.engine.service.BuildService.BuildCacheRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What {@code POST /build/prune} removes, as moby's {@code toBuildkitPruneInfo} and BuildKit's prune read the request:
 * the filters {@code docker builder prune --filter} sends — {@code until} (or the older {@code unused-for}: only cache
 * unused for that long), {@code id} (a regular expression), {@code parent}, {@code type}, {@code description},
 * {@code inuse}, {@code shared}, {@code private} (equality), one value each — then {@code keep-storage} /
 * {@code reserved-space}: the most recently used cache is kept up to that many bytes. Records in use are never
 * removed, nor are the internal and frontend records without {@code all} (this builder has none). A kept image keeps
 * its parent: an image cannot go while a child needs it.
 */
final class BuildCachePrune {
    private static final List<String> UNTIL = List.of("until", "unused-for");
    private static final Map<String, Function<BuildCacheRecord, String>> FIELDS = Map.of(
            "id", BuildCacheRecord::id,
            "parent", r -> r.parent() == null ? "" : r.parent(),
            "type", BuildCacheRecord::type,
            "description", BuildCacheRecord::description,
            "inuse", r -> Boolean.toString(r.inUse()),
            "shared", r -> Boolean.toString(r.shared()),
            "private", r -> Boolean.toString(!r.shared()));
    private static final Set<String> KEPT_WITHOUT_ALL = Set.of("internal", "frontend");
    private static final Pattern DURATION = Pattern.compile("0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");

    private BuildCachePrune() {}

    /** The records to remove, in {@code records}' order (children before parents). */
    static List<BuildCacheRecord> select(List<BuildCacheRecord> records, Filters filters, boolean all, long keepStorage) {
        for (String k : filters.keys()) {
            if (!UNTIL.contains(k) && !FIELDS.containsKey(k)) throw new BerthException.InvalidArgument("invalid filter '" + k + "'");
            if (filters.get(k).size() > 1) throw new BerthException.InvalidArgument("filters expect only one value");
        }
        Instant cutoff = cutoff(filters);
        List<BuildCacheRecord> candidates = new ArrayList<>();
        for (BuildCacheRecord r : records) {
            if (r.inUse() || (!all && KEPT_WITHOUT_ALL.contains(r.type()))) continue;
            if (cutoff != null && lastUsed(r).isAfter(cutoff)) continue;
            if (matches(r, filters)) candidates.add(r);
        }
        Set<String> keep = new HashSet<>();
        if (keepStorage > 0) {
            long total = records.stream().mapToLong(BuildCacheRecord::size).sum();
            List<BuildCacheRecord> oldestFirst = new ArrayList<>(candidates);
            oldestFirst.sort(Comparator.comparing(BuildCachePrune::lastUsed));
            Set<String> dropped = new HashSet<>();
            for (BuildCacheRecord r : oldestFirst) {
                if (total <= keepStorage) break;
                dropped.add(r.id());
                total -= r.size();
            }
            for (BuildCacheRecord r : candidates) if (!dropped.contains(r.id())) keep.add(r.id());
        }
        for (BuildCacheRecord r : records) { // children come first: a kept child keeps its parent, and so on up
            boolean removed = candidates.contains(r) && !keep.contains(r.id());
            if (!removed && r.parent() != null) keep.add(r.parent());
        }
        return candidates.stream().filter(r -> !keep.contains(r.id())).toList();
    }

    private static Instant cutoff(Filters filters) {
        for (String k : UNTIL) {
            for (String v : filters.get(k)) {
                if (!DURATION.matcher(v).matches()) {
                    throw new BerthException.InvalidArgument("\"" + k + "\" filter expects a duration (e.g., '24h'): "
                            + "time: invalid duration \"" + v + "\"");
                }
                return v.equals("0") ? null : TimeFilters.parse(v);
            }
        }
        return null;
    }

    private static boolean matches(BuildCacheRecord r, Filters filters) {
        for (var field : FIELDS.entrySet()) {
            for (String want : filters.get(field.getKey())) {
                String have = field.getValue().apply(r);
                if (field.getKey().equals("id")) {
                    try {
                        if (!Pattern.compile(want).matcher(have).find()) return false;
                    } catch (PatternSyntaxException e) {
                        throw new BerthException.InvalidArgument("invalid filter 'id=" + want + "': " + e.getDescription());
                    }
                } else if (!have.equals(want)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Instant lastUsed(BuildCacheRecord r) {
        String t = r.lastUsedAt() != null ? r.lastUsedAt() : r.createdAt();
        return t == null ? Instant.EPOCH : Instant.parse(t);
    }
}
