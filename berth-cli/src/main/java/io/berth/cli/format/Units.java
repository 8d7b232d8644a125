package io.berth.cli.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/** go-units: HumanSize (decimal units) and HumanDuration. */
public final class Units {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private Units() {}

    /** {@code units.HumanSizeWithPrecision(size, precision)}: {@code %.<p>g} plus the unit. */
    public static String humanSize(double size, int precision) {
        int i = 0;
        while (size >= 1000.0 && i < DECIMAL.length - 1) {
            size /= 1000.0;
            i++;
        }
        return formatG(size, precision) + DECIMAL[i];
    }

    /** {@code units.HumanSize}: precision 4. */
    public static String humanSize(double size) { return humanSize(size, 4); }

    /** Go's {@code %.<p>g}: p significant digits, trailing zeros removed, exponent form when exp < -4 or exp >= p. */
    static String formatG(double v, int p) {
        if (v == 0) return "0";
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        BigDecimal b = new BigDecimal(v).round(new MathContext(p, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        int exp = b.precision() - b.scale() - 1;
        if (exp < -4 || exp >= p) {
            String digits = b.unscaledValue().abs().toString();
            String mant = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            return (v < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return b.toPlainString();
    }

    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    /** {@code units.BytesSize}: binary units, {@code %.4g}. */
    public static String bytesSize(double size) {
        int i = 0;
        while (size >= 1024.0 && i < BINARY.length - 1) {
            size /= 1024.0;
            i++;
        }
        return formatG(size, 4) + BINARY[i];
    }

    /** {@code units.HumanDuration}. */
    public static String humanDuration(Duration d) { return io.berth.api.HumanDuration.of(d); }
}
