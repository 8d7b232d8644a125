package io.berth.engine.container;

import io.berth.api.errors.BerthException;
import java.util.Locale;
import java.util.Map;

/** Linux (x86_64) signal names and numbers as Docker accepts them: {@code SIGTERM}, {@code TERM}, {@code 15}. */
public final class Signals {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31), Map.entry("RTMIN", 34), Map.entry("RTMAX", 64));

    private Signals() {}

    /** Parses a signal; InvalidArgument {@code Invalid signal: X} otherwise. Empty or null gives {@code dflt}. */
    public static int parse(String s, int dflt) {
        if (s == null || s.isEmpty()) return dflt;
        String v = s.toUpperCase(Locale.ROOT);
        if (v.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(v);
            if (n < 1 || n > 64) throw invalid(s);
            return n;
        }
        if (v.startsWith("SIG")) v = v.substring(3);
        int plus = v.indexOf('+');
        int minus = v.indexOf('-');
        if (v.startsWith("RTMIN") && plus > 0) return offset(s, 34, v.substring(plus + 1), 1);
        if (v.startsWith("RTMAX") && minus > 0) return offset(s, 64, v.substring(minus + 1), -1);
        Integer n = BY_NAME.get(v);
        if (n == null) throw invalid(s);
        return n;
    }

    private static int offset(String s, int base, String delta, int sign) {
        try {
            int n = base + sign * Integer.parseInt(delta);
            if (n < 34 || n > 64) throw invalid(s);
            return n;
        } catch (NumberFormatException e) {
            throw invalid(s);
        }
    }

    private static BerthException invalid(String s) { return new BerthException.InvalidArgument("Invalid signal: " + s); }
}
