package io.berth.engine.distribution;

import io.berth.oci.Descriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * containerd's {@code platforms.Only}: matches a platform and the ones its machines also run, best first
 * ({@code amd64/v3} then {@code v2}, {@code amd64}, {@code 386}; {@code arm/v7} then {@code v6}, {@code v5};
 * {@code arm64} then {@code arm/v8} … {@code arm/v5}), and picks the manifest an index offers for it as moby's
 * {@code filterManifests} does (entries without a platform match too, after the others).
 */
final class PlatformMatcher {
    private final Platform described;
    private final List<Platform> ranked;

    private PlatformMatcher(Platform described, Platform wanted) {
        this.described = described;
        this.ranked = vector(wanted.normalize()).stream().map(Platform::normalize).toList();
    }

    /**
     * Matches {@code platform}, or by default the host's best ({@link Platform#maximum}: {@code linux/amd64/v4} and
     * below on a machine that runs it), with a missing os or architecture taken from there.
     */
    static PlatformMatcher only(Platform platform) {
        Platform max = Platform.maximum();
        Platform p = platform == null ? max : platform;
        if (p.os().isEmpty()) p = new Platform(max.os(), p.architecture(), p.variant());
        if (p.architecture().isEmpty()) p = new Platform(p.os(), max.architecture(), max.variant());
        return new PlatformMatcher(platform == null ? Platform.host() : platform, p);
    }

    /** The platform asked for (the host's default spec when none was), as the error names it. */
    String describe() { return described.format(); }

    boolean matches(Platform p) { return rank(p) >= 0; }

    private int rank(Platform p) {
        Platform n = p.normalize();
        for (int i = 0; i < ranked.size(); i++) {
            Platform r = ranked.get(i);
            if (r.os().equals(n.os()) && r.architecture().equals(n.architecture()) && r.variant().equals(n.variant())) return i;
        }
        return -1;
    }

    /** The best entry of an index for this platform. */
    Optional<Descriptor> select(List<Descriptor> manifests) {
        List<Descriptor> matches = new ArrayList<>();
        for (Descriptor d : manifests) {
            Platform p = Platform.of(d.platform());
            if (p == null || matches(p)) matches.add(d);
        }
        matches.sort(Comparator.comparingInt(d -> d.platform() == null ? Integer.MAX_VALUE : rank(Platform.of(d.platform()))));
        return matches.stream().findFirst();
    }

    private static List<Platform> vector(Platform p) {
        List<Platform> out = new ArrayList<>();
        out.add(p);
        switch (p.architecture()) {
            case "amd64" -> {
                int version = version(p.variant());
                for (int v = version - 1; v >= 1; v--) out.add(new Platform(p.os(), "amd64", "v" + v));
                out.add(new Platform(p.os(), "386", ""));
            }
            case "arm" -> {
                int version = version(p.variant());
                for (int v = version - 1; v >= 5; v--) out.add(new Platform(p.os(), "arm", "v" + v));
            }
            case "arm64" -> {
                int version = p.variant().isEmpty() ? 8 : version(p.variant());
                for (int v = version - 1; v >= 8; v--) out.add(new Platform(p.os(), "arm64", "v" + v));
                out.addAll(vector(new Platform(p.os(), "arm", "v8")));
            }
            default -> { }
        }
        return out;
    }

    /** The major number of a {@code vN[.M]} variant, 0 when there is none. */
    private static int version(String variant) {
        if (!variant.startsWith("v")) return 0;
        String digits = variant.substring(1);
        int dot = digits.indexOf('.');
        if (dot >= 0) digits = digits.substring(0, dot);
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
