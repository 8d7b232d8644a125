package io.berth.engine.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The x86-64 micro-architecture level of this machine ({@code v1}…{@code v4}), as moby finds it with
 * {@code go-archvariant} to prefer {@code linux/amd64/v3} entries of an index on a machine that runs them; read from
 * the kernel's CPU flags (which it clears when the OS does not enable AVX or AVX-512 state).
 */
final class CpuVariant {
    private static final List<String> V2 = List.of("pni", "ssse3", "cx16", "sse4_1", "sse4_2", "popcnt", "lahf_lm");
    private static final List<String> V3 = List.of("fma", "movbe", "xsave", "avx", "f16c", "bmi1", "avx2", "bmi2", "abm");
    private static final List<String> V4 = List.of("avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl");

    private CpuVariant() {}

    private static final class Host {
        static final String AMD64 = read();

        private static String read() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("flags")) return amd64(Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                }
            } catch (IOException | RuntimeException e) {
                // no cpuinfo: the baseline
            }
            return "v1";
        }
    }

    /** This machine's level (read once). */
    static String amd64() { return Host.AMD64; }

    /** The level the given CPU flags reach. */
    static String amd64(Set<String> flags) {
        if (!flags.containsAll(V2)) return "v1";
        if (!flags.containsAll(V3)) return "v2";
        if (!flags.containsAll(V4)) return "v3";
        return "v4";
    }
}
