package io.berth.engine.runtime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Docker's seccomp profile format ({@code defaultAction}, {@code archMap}, {@code syscalls} with
 * {@code includes}/{@code excludes} on caps, arches and minimum kernel) converted to the OCI
 * {@code linux.seccomp} object for one architecture, one capability set and one kernel, as moby's
 * {@code profiles/seccomp} does.
 */
public final class Seccomp {
    /**
     * Where a default profile in Docker's format is looked for, first match wins: Berth's own
     * configuration, then the copy of moby's default profile that Debian's
     * {@code golang-github-docker-docker-dev} installs, then the containers-common profile.
     */
    public static final List<Path> DEFAULT_PROFILE_LOCATIONS = List.of(
            Path.of("/etc/berth/seccomp.json"),
            Path.of("/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json"),
            Path.of("/usr/share/containers/seccomp.json"));

    private Seccomp() {}

    /** The first default profile found in {@link #DEFAULT_PROFILE_LOCATIONS}, or null. */
    public static JsonNode loadDefaultProfile() {
        for (Path p : DEFAULT_PROFILE_LOCATIONS) {
            if (Files.isRegularFile(p)) return load(p);
        }
        return null;
    }

    /**
     * {@link #loadDefaultProfile()} on the first {@code get()}, its profile for every later one: reading and parsing
     * it (Jackson's parser set-up included) is off berthd's start path. A profile that cannot be read fails each
     * {@code get()} until it can.
     */
    public static Supplier<JsonNode> defaultProfileOnFirstUse() {
        return new Supplier<>() {
            private JsonNode profile;
            private boolean read;

            @Override public synchronized JsonNode get() {
                if (!read) {
                    profile = loadDefaultProfile();
                    read = true;
                }
                return profile;
            }
        };
    }

    /** Reads a profile in Docker's format. */
    public static JsonNode load(Path p) {
        try {
            return Json.plain().readTree(p.toFile());
        } catch (IOException e) {
            throw new BerthException.InvalidArgument("opening seccomp profile (" + p + ") failed: " + e.getMessage(), e);
        }
    }

    /** Parses a profile given inline ({@code --security-opt seccomp=<json>}, which the CLI sends as the file's content). */
    public static JsonNode parse(String json) {
        try {
            return Json.plain().readTree(json);
        } catch (IOException e) {
            throw new BerthException.InvalidArgument("decoding seccomp profile failed: " + e.getMessage(), e);
        }
    }

    /** Go's name of a Linux architecture ({@code os.arch} {@code amd64} is Go's {@code amd64}). */
    public static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> javaArch;
        };
    }

    private static String nativeArch(String goArch) {
        return switch (goArch) {
            case "amd64" -> "SCMP_ARCH_X86_64";
            case "386" -> "SCMP_ARCH_X86";
            case "arm64" -> "SCMP_ARCH_AARCH64";
            case "arm" -> "SCMP_ARCH_ARM";
            case "ppc64le" -> "SCMP_ARCH_PPC64LE";
            case "s390x" -> "SCMP_ARCH_S390X";
            case "riscv64" -> "SCMP_ARCH_RISCV64";
            default -> "SCMP_ARCH_" + goArch.toUpperCase(java.util.Locale.ROOT);
        };
    }

    /**
     * Converts {@code profile} for a container with capabilities {@code caps} on architecture
     * {@code goArch} (Go's name: amd64, arm64, …) under kernel {@code kernelRelease}.
     */
    public static ObjectNode toOci(JsonNode profile, List<String> caps, String goArch, String kernelRelease) {
        ObjectNode out = Json.plain().createObjectNode();
        String defaultAction = profile.path("defaultAction").asText("");
        if (defaultAction.isEmpty()) throw new BerthException.InvalidArgument("seccomp profile has no defaultAction");
        out.put("defaultAction", defaultAction);
        if (profile.hasNonNull("defaultErrnoRet")) out.put("defaultErrnoRet", profile.get("defaultErrnoRet").asLong());
        ArrayNode arches = out.putArray("architectures");
        boolean fromMap = false;
        String mine = nativeArch(goArch);
        for (JsonNode a : profile.path("archMap")) {
            if (mine.equals(a.path("architecture").asText())) {
                arches.add(mine);
                for (JsonNode sub : a.path("subArchitectures")) arches.add(sub.asText());
                fromMap = true;
            }
        }
        if (!fromMap) for (JsonNode a : profile.path("architectures")) arches.add(a.asText());
        if (profile.hasNonNull("listenerPath")) out.put("listenerPath", profile.get("listenerPath").asText());
        if (profile.path("flags").isArray() && !profile.path("flags").isEmpty()) out.set("flags", profile.get("flags"));
        ArrayNode syscalls = out.putArray("syscalls");
        for (JsonNode call : profile.path("syscalls")) {
            if (!applies(call, caps, goArch, kernelRelease)) continue;
            ObjectNode s = syscalls.addObject();
            ArrayNode names = s.putArray("names");
            if (call.hasNonNull("name") && !call.path("name").asText().isEmpty()) {
                if (call.path("names").size() > 0) throw new BerthException.InvalidArgument(
                        "use either 'name' or 'names' in the seccomp profile, not both");
                names.add(call.get("name").asText());
            }
            for (JsonNode n : call.path("names")) names.add(n.asText());
            s.put("action", call.path("action").asText());
            if (call.hasNonNull("errnoRet")) s.put("errnoRet", call.get("errnoRet").asLong());
            ArrayNode args = Json.plain().createArrayNode();
            for (JsonNode a : call.path("args")) {
                ObjectNode o = args.addObject();
                o.put("index", a.path("index").asLong());
                o.put("value", a.path("value").asLong());
                o.put("valueTwo", a.path("valueTwo").asLong());
                o.put("op", a.path("op").asText());
            }
            if (!args.isEmpty()) s.set("args", args);
        }
        return out;
    }

    private static boolean applies(JsonNode call, List<String> caps, String goArch, String kernel) {
        JsonNode ex = call.path("excludes"), in = call.path("includes");
        if (contains(ex.path("arches"), goArch)) return false;
        for (JsonNode c : ex.path("caps")) if (caps.contains(c.asText())) return false;
        if (ex.hasNonNull("minKernel") && kernelAtLeast(kernel, ex.get("minKernel").asText())) return false;
        if (in.path("arches").size() > 0 && !contains(in.path("arches"), goArch)) return false;
        for (JsonNode c : in.path("caps")) if (!caps.contains(c.asText())) return false;
        if (in.hasNonNull("minKernel") && !kernelAtLeast(kernel, in.get("minKernel").asText())) return false;
        return true;
    }

    private static boolean contains(JsonNode arr, String v) {
        for (JsonNode n : arr) if (n.asText().equals(v)) return true;
        return false;
    }

    /** {@code 6.18.44-fc} ≥ {@code 4.8}: compares major and minor like moby's kernel check. */
    static boolean kernelAtLeast(String release, String min) {
        int[] r = majorMinor(release), m = majorMinor(min);
        return r[0] != m[0] ? r[0] > m[0] : r[1] >= m[1];
    }

    private static int[] majorMinor(String v) {
        List<Integer> parts = new ArrayList<>();
        for (String p : v.split("[.-]")) {
            if (parts.size() == 2) break;
            try {
                parts.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                break;
            }
        }
        if (parts.isEmpty()) throw new BerthException.InvalidArgument("invalid kernel version " + v);
        return new int[] {parts.get(0), parts.size() > 1 ? parts.get(1) : 0};
    }
}
