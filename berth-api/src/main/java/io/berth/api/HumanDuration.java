package io.berth.api;

import java.time.Duration;

/**
 * go-units' {@code HumanDuration}, which Docker prints in status strings ("Up 3 seconds") and the
 * CLI in CREATED columns ("2 hours ago"). Shared by the daemon and the CLI so they agree.
 */
public final class HumanDuration {
    private HumanDuration() {}

    public static String of(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return seconds + " seconds";
        long minutes = d.toMinutes();
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return minutes + " minutes";
        long nanos = d.toNanos();
        long hourNs = 3_600_000_000_000L;
        long hours = (nanos + hourNs / 2) / hourNs; // time.Duration.Round(time.Hour), half away from zero
        if (hours == 1) return "About an hour";
        if (hours < 48) return hours + " hours";
        if (hours < 24 * 7 * 2) return hours / 24 + " days";
        if (hours < 24 * 30 * 2) return hours / 24 / 7 + " weeks";
        if (hours < 24 * 365 * 2) return hours / 24 / 30 + " months";
        return d.toHours() / 24 / 365 + " years";
    }
}
