package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.format.Formatter;
import io.berth.cli.format.Units;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by commands: JSON to template values, time and ID formatting. */
final class Model {
    private Model() {}

    static Object parse(byte[] json) {
        try {
            return of(JsonTree.read(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON tree as template values: ordered maps, lists, strings, Long/Double, Boolean, null. */
    static Object of(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.properties().forEach(e -> m.put(e.getKey(), of(e.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(of(x)));
            return l;
        }
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.asBoolean();
        if (n.isIntegralNumber()) return n.canConvertToLong() ? (Object) n.asLong() : n.bigIntegerValue();
        if (n.isNumber()) return n.asDouble();
        return n.asText();
    }

    static String truncateId(String id) {
        String s = id;
        int colon = s.indexOf(':');
        if (colon >= 0) s = s.substring(colon + 1);
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    static String since(Cli cli, long epochSeconds) {
        return Units.humanDuration(Duration.between(Instant.ofEpochSecond(epochSeconds), cli.clock.instant())) + " ago";
    }

    /** Go's time.Time.String() in local time: {@code 2006-01-02 15:04:05 -0700 MST}. */
    static String goTime(long epochSeconds) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z").format(Instant.ofEpochSecond(epochSeconds).atZone(ZoneId.systemDefault()));
    }

    /** RFC 3339 in local time, {@code Z} for UTC. */
    static String rfc3339(long epochSeconds) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochSecond(epochSeconds).atZone(ZoneId.systemDefault()).toOffsetDateTime());
    }

    static void print(Cli cli, Formatter f, List<?> rows, Object header) {
        cli.out.print(f.render(rows, header));
        cli.out.flush();
    }
}
