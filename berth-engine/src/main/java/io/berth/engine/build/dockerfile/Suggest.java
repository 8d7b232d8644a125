package io.berth.engine.build.dockerfile;

import java.util.List;
import java.util.Locale;

/** BuildKit's "(did you mean X?)" hint: the closest option at an edit distance below 3. */
final class Suggest {
    private Suggest() {}

    /** {@code message} with the hint appended when an option is close to {@code value} (and not equal to it). */
    static String wrap(String message, String value, List<String> options, boolean caseSensitive) {
        String val = caseSensitive ? value : value.toLowerCase(Locale.ROOT);
        String match = null;
        int min = 3;
        for (String option : options) {
            String opt = caseSensitive ? option : option.toLowerCase(Locale.ROOT);
            if (opt.equals(val)) {
                return message;
            }
            int d = distance(val, opt);
            if (d < min) {
                match = caseSensitive ? opt : matchCase(opt, value);
                min = d;
            }
        }
        return match == null ? message : message + " (did you mean " + match + "?)";
    }

    private static String matchCase(String option, String original) {
        if (original.equals(original.toLowerCase(Locale.ROOT))) {
            return option.toLowerCase(Locale.ROOT);
        }
        if (original.equals(original.toUpperCase(Locale.ROOT))) {
            return option.toUpperCase(Locale.ROOT);
        }
        return option;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
