package io.berth.api;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The {@code progress} text of a {@link JsonMessage}, as Docker's {@code jsonmessage.JSONProgress.String()} renders it
 * on the server side (width 200, no start time): {@code "[=====>      ] 1.2MB/3.4MB"}, sizes in SI units with four
 * significant digits ({@code go-units.HumanSize}).
 */
public final class JsonProgress {
    private static final int BAR = 50;
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private JsonProgress() {}

    /** The bar and counts for {@code current} of {@code total} bytes; "" when both are 0 or less. */
    public static String render(long current, long total) {
        if (current <= 0 && total <= 0) return "";
        if (total <= 0) return String.format("%8s", humanSize(current));
        int filled = Math.min(BAR, (int) ((double) current / (double) total * 100) / 2);
        String bar = "[" + "=".repeat(filled) + ">" + " ".repeat(Math.max(0, BAR - filled)) + "] ";
        String numbers = current > total ? String.format("%8s", humanSize(current))
                : String.format("%8s/%s", humanSize(current), humanSize(total));
        return bar + numbers;
    }

    /** {@code units.HumanSize}: decimal units, Go's {@code %.4g}. */
    public static String humanSize(double size) {
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        return formatG4(size) + UNITS[unit];
    }

    /** Go's {@code %.4g} for a value below 1000: four significant digits, trailing zeros dropped. */
    private static String formatG4(double v) {
        if (v == 0) return "0";
        BigDecimal d = new BigDecimal(v).round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        return d.toPlainString();
    }
}
