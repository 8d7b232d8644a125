package io.berth.cli;

import io.berth.api.system.DiskUsage;
import io.berth.cli.format.Units;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The build cache part of {@code system df}, as the docker CLI's formatter reads {@code BuildCache}: the summary row
 * (entries, entries in use, size of the unshared ones, of those not in use) and {@code -v}'s table.
 */
record BuildCacheUsage(List<Map<?, ?>> entries) {
    static final Map<String, String> HEADER = Map.of("ID", "CACHE ID", "CacheType", "CACHE TYPE", "Size", "SIZE",
            "CreatedSince", "CREATED", "LastUsedSince", "LAST USED", "UsageCount", "USAGE", "Shared", "SHARED");

    static BuildCacheUsage of(DiskUsage du) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (du != null && du.buildCache() != null) for (Object o : du.buildCache()) if (o instanceof Map<?, ?> m) out.add(m);
        return new BuildCacheUsage(out);
    }

    /** The unshared entries' size. */
    long size() {
        return entries.stream().filter(e -> !Boolean.TRUE.equals(e.get("Shared"))).mapToLong(e -> number(e.get("Size"))).sum();
    }

    /** The summary row of {@code system df}. */
    Row row() {
        int active = (int) entries.stream().filter(e -> Boolean.TRUE.equals(e.get("InUse"))).count();
        long reclaimable = entries.stream().filter(e -> !Boolean.TRUE.equals(e.get("InUse")) && !Boolean.TRUE.equals(e.get("Shared")))
                .mapToLong(e -> number(e.get("Size"))).sum();
        return SystemCommands.Df.dfRow("Build Cache", entries.size(), active, Units.humanSize(size()), Units.humanSize(reclaimable));
    }

    /** {@code system df -v}'s rows: ID (12 characters, {@code *} when in use), type, size, times, usage, shared. */
    static List<Row> rows(Cli cli, DiskUsage du) {
        List<Row> rows = new ArrayList<>();
        for (Map<?, ?> e : of(du).entries()) {
            String id = String.valueOf(e.get("ID"));
            if (id.length() > 12) id = id.substring(0, 12);
            if (Boolean.TRUE.equals(e.get("InUse"))) id += "*";
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("ID", id);
            f.put("CacheType", String.valueOf(e.get("Type")));
            f.put("Size", Units.humanSize(number(e.get("Size")), 3));
            f.put("CreatedSince", since(cli, e.get("CreatedAt")));
            f.put("LastUsedSince", since(cli, e.get("LastUsedAt")));
            f.put("UsageCount", Long.toString(number(e.get("UsageCount"))));
            f.put("Shared", Boolean.toString(Boolean.TRUE.equals(e.get("Shared"))));
            rows.add(new Row("*formatter.buildCacheContext", f));
        }
        return rows;
    }

    private static String since(Cli cli, Object time) {
        if (!(time instanceof String s) || s.isEmpty()) return "";
        try {
            return Units.humanDuration(Duration.between(Instant.parse(s), cli.clock.instant())) + " ago";
        } catch (DateTimeParseException e) {
            return "";
        }
    }

    private static long number(Object o) { return o instanceof Number n ? n.longValue() : 0; }
}
