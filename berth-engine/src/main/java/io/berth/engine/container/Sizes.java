package io.berth.engine.container;

import io.berth.api.errors.BerthException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** go-units' RAMInBytes: {@code 64m}, {@code 1g}, {@code 512k}, {@code 100} (binary multiples). */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgtp]?)(?:i?b)?");

    private Sizes() {}

    static long parse(String s, String what) {
        Matcher m = SIZE.matcher(s.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new BerthException.InvalidArgument("invalid size: '" + s + "' for " + what);
        double n = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        return (long) (n * (1L << shift));
    }
}
