package io.berth.api;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The {@code progress} text of a streamed transfer message, as dockerd renders it server-side
 * ({@code jsonmessage.JSONProgress.String()} at width 200, no start time): a 50-character bar and
 * {@code current/total} in decimal units, e.g. {@code [==>                                                ]  1.2MB/3.4MB}.
 */
public final class JsonProgress {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final int BAR = 50;

    private JsonProgress() {}

    /** A progress message ({@code Downloading}, {@code Pushing}, …) with its detail and bar. */
    public static JsonMessage message(String id, String status, long current, long total) {
        return new JsonMessage(null, status, id, bar(current, total), new JsonMessage.ProgressDetail(current, total),
                null, null, null);
    }

    /** The bar and counts; empty when nothing is known, the count alone when the total is unknown. */
    public static String bar(long current, long total) {
        if (current <= 0 && total <= 0) return "";
        if (total <= 0) return String.format("%8s", humanSize(current));
        int percentage = Math.min(BAR, (int) ((double) current / total * 100) / 2);
        String box = "[" + "=".repeat(percentage) + ">" + " ".repeat(BAR - percentage) + "] ";
        String numbers = current > total
                ? String.format("%8s", humanSize(current))
                : String.format("%8s/%s", humanSize(current), humanSize(total));
        return box + numbers;
    }

    /** go-units' {@code HumanSize}: decimal units, four significant digits ({@code %.4g}). */
    public static String humanSize(double size) {
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        String number = size == 0 ? "0"
                : new BigDecimal(size).round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros().toPlainString();
        return number + UNITS[unit];
    }
}
