package io.berth.api;

/** A Docker Engine API version such as 1.47; comparable, parsed from "1.47". */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    public static final ApiVersion MIN = new ApiVersion(1, 24);
    public static final ApiVersion CURRENT = new ApiVersion(1, 47);

    public static ApiVersion parse(String text) {
        String[] parts = text.split("\\.");
        if (parts.length != 2) throw new IllegalArgumentException("invalid API version: " + text);
        try {
            return new ApiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid API version: " + text, e);
        }
    }

    public boolean atLeast(ApiVersion other) { return compareTo(other) >= 0; }

    @Override public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override public String toString() { return major + "." + minor; }
}
