package io.berth.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Docker's timestamp arguments: Unix seconds (fractional), RFC 3339 dates/times, or Go durations relative to now. */
public final class TimeFilters {
    private TimeFilters() {}

    public static Instant parse(String value) {
        String v = value.strip();
        if (v.matches("[0-9]+(\\.[0-9]{1,9})?")) {
            int dot = v.indexOf('.');
            long secs = Long.parseLong(dot < 0 ? v : v.substring(0, dot));
            long nanos = dot < 0 ? 0 : Long.parseLong((v.substring(dot + 1) + "000000000").substring(0, 9));
            return Instant.ofEpochSecond(secs, nanos);
        }
        if (v.matches("([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+")) {
            return Instant.now().minus(goDuration(v));
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            // try the shorter forms
        }
        try {
            return java.time.LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try a date
        }
        try {
            return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("failed to parse value as time or duration: \"" + value + "\"");
        }
    }

    static Duration goDuration(String v) {
        var m = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)").matcher(v);
        double nanos = 0;
        while (m.find()) {
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
        }
        return Duration.ofNanos((long) nanos);
    }
}
