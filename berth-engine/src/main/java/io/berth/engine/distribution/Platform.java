package io.berth.engine.distribution;

import io.berth.api.errors.BerthException;
import io.berth.oci.Descriptor;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An os/architecture/variant triple as containerd's {@code platforms} package parses, normalizes and formats it:
 * {@code linux/arm} is {@code linux/arm/v7}, {@code aarch64} is {@code arm64}, {@code arm64/v8} is plain
 * {@code arm64}, {@code x86_64} is {@code amd64}.
 */
record Platform(String os, String architecture, String variant) {
    private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Set<String> KNOWN_OS = Set.of("aix", "android", "darwin", "dragonfly", "freebsd", "hurd",
            "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos");
    private static final Set<String> KNOWN_ARCH = Set.of("386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be",
            "ppc64", "ppc64le", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc",
            "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm");

    Platform {
        os = os == null ? "" : os;
        architecture = architecture == null ? "" : architecture;
        variant = variant == null ? "" : variant;
    }

    /** The host's platform (linux and the JVM's architecture), as {@code platforms.DefaultSpec}. */
    static Platform host() {
        String arch = System.getProperty("os.arch", "amd64");
        return new Platform("linux", arch, "").normalize();
    }

    /** The host's platform with its amd64 level, as moby's {@code maximumSpec}: what a pull prefers by default. */
    static Platform maximum() {
        Platform p = host();
        return p.architecture().equals("amd64") ? new Platform(p.os(), p.architecture(), CpuVariant.amd64()) : p;
    }

    /** The platform of an index entry; null when it has none. */
    static Platform of(Descriptor.Platform p) {
        return p == null ? null : new Platform(p.os(), p.architecture(), p.variant());
    }

    /** {@code platforms.Parse}: {@code os}, {@code arch}, {@code os/arch} or {@code os/arch/variant}. */
    static Platform parse(String specifier) {
        if (specifier.contains("*")) throw invalid("\"" + specifier + "\": wildcards not yet supported");
        String[] parts = specifier.split("/", -1);
        for (String part : parts) {
            if (!COMPONENT.matcher(part).matches()) {
                throw invalid("\"" + part + "\" is an invalid component of \"" + specifier
                        + "\": platform specifier component must match \"^[A-Za-z0-9_-]+$\"");
            }
        }
        Platform local = host();
        return switch (parts.length) {
            case 1 -> {
                String os = normalizeOs(parts[0]);
                if (KNOWN_OS.contains(os)) yield new Platform(os, local.architecture(), local.variant());
                Platform p = arch(local.os(), parts[0], "");
                if (p.architecture().equals("arm") && p.variant().equals("v7")) p = new Platform(p.os(), "arm", "");
                if (KNOWN_ARCH.contains(p.architecture())) yield p;
                throw invalid("\"" + specifier + "\": unknown operating system or architecture");
            }
            case 2 -> {
                Platform p = arch(normalizeOs(parts[0]), parts[1], "");
                yield p.architecture().equals("arm") && p.variant().equals("v7") ? new Platform(p.os(), "arm", "") : p;
            }
            case 3 -> {
                Platform p = arch(normalizeOs(parts[0]), parts[1], parts[2]);
                yield p.architecture().equals("arm64") && p.variant().isEmpty() ? new Platform(p.os(), "arm64", "v8") : p;
            }
            default -> throw invalid("\"" + specifier + "\": cannot parse platform specifier");
        };
    }

    private static BerthException.InvalidArgument invalid(String message) {
        return new BerthException.InvalidArgument(message + ": invalid argument");
    }

    /** {@code platforms.Normalize}. */
    Platform normalize() { return arch(normalizeOs(os), architecture, variant); }

    /** {@code platforms.Format}: {@code os/arch[/variant]}, "unknown" without an os. */
    String format() {
        if (os.isEmpty()) return "unknown";
        StringBuilder b = new StringBuilder(os);
        if (!architecture.isEmpty()) b.append('/').append(architecture);
        if (!variant.isEmpty()) b.append('/').append(variant);
        return b.toString();
    }

    private static String normalizeOs(String os) {
        String lower = os.toLowerCase(Locale.ROOT);
        return lower.equals("macos") ? "darwin" : lower;
    }

    private static Platform arch(String os, String arch, String variant) {
        String a = arch.toLowerCase(Locale.ROOT);
        String v = variant.toLowerCase(Locale.ROOT);
        switch (a) {
            case "i386" -> { a = "386"; v = ""; }
            case "x86_64", "x86-64", "amd64" -> {
                a = "amd64";
                if (v.equals("v1")) v = "";
            }
            case "aarch64", "arm64" -> {
                a = "arm64";
                v = switch (v) {
                    case "8", "v8", "v8.0" -> "";
                    case "9", "9.0", "v9.0" -> "v9";
                    default -> v;
                };
            }
            case "armhf" -> { a = "arm"; v = "v7"; }
            case "armel" -> { a = "arm"; v = "v6"; }
            case "arm" -> v = switch (v) {
                case "", "7" -> "v7";
                case "5", "6", "8" -> "v" + v;
                default -> v;
            };
            default -> { }
        }
        return new Platform(os, a, v);
    }
}
