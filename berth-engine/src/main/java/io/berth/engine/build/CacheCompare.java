package io.berth.engine.build;

import io.berth.api.image.ContainerConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * moby's {@code image/cache/compare.go}: whether a cached image's stored container config matches a step's probe —
 * Env, Cmd, Entrypoint, Shell, OnBuild in order, ExposedPorts and Volumes as key sets, Labels, the stdio flags,
 * NetworkDisabled, ArgsEscaped and the healthcheck's Test. Nothing else (User, WorkingDir) is compared: they reach the
 * key through the step's Cmd or the parent image.
 */
public final class CacheCompare {
    private CacheCompare() {}

    public static boolean matches(ContainerConfig a, ContainerConfig b) {
        if (a == null || b == null) return false;
        return list(a.env()).equals(list(b.env())) && list(a.cmd()).equals(list(b.cmd()))
                && list(a.entrypoint()).equals(list(b.entrypoint())) && list(a.shell()).equals(list(b.shell()))
                && list(a.onBuild()).equals(list(b.onBuild()))
                && keys(a.exposedPorts()).equals(keys(b.exposedPorts())) && keys(a.volumes()).equals(keys(b.volumes()))
                && labels(a.labels()).equals(labels(b.labels()))
                && a.attachStdin() == b.attachStdin() && a.attachStdout() == b.attachStdout()
                && a.attachStderr() == b.attachStderr() && a.tty() == b.tty() && a.openStdin() == b.openStdin()
                && a.stdinOnce() == b.stdinOnce()
                && bool(a.networkDisabled()) == bool(b.networkDisabled()) && bool(a.argsEscaped()) == bool(b.argsEscaped())
                && Objects.equals(healthTest(a.healthcheck()), healthTest(b.healthcheck()));
    }

    private static List<String> list(List<String> l) { return l == null ? List.of() : l; }

    private static java.util.Set<String> keys(Map<String, ?> m) { return m == null ? java.util.Set.of() : m.keySet(); }

    private static Map<String, String> labels(Map<String, String> m) { return m == null ? Map.of() : m; }

    private static boolean bool(Boolean b) { return b != null && b; }

    private static Object healthTest(Object healthcheck) {
        if (healthcheck instanceof Map<?, ?> m) {
            Object t = m.get("Test");
            return t instanceof List<?> l && !l.isEmpty() ? l : null;
        }
        return null;
    }
}
