package io.berth.engine.build;

import io.berth.api.image.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stage's run configuration while it is built (moby's {@code dispatchState.runConfig}): what the next commit
 * writes as the image's {@code config}. Mutable and owned by one stage; {@link #toConfig()} and {@link #copy()} give
 * independent values.
 */
final class RunConfig {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    String hostname = "";
    String domainname = "";
    String user = "";
    Map<String, Map<String, Object>> exposedPorts;
    List<String> env = new ArrayList<>();
    List<String> cmd;
    Object healthcheck;
    Boolean argsEscaped;
    String image = "";
    Map<String, Map<String, Object>> volumes;
    String workingDir = "";
    List<String> entrypoint;
    List<String> onBuild;
    Map<String, String> labels;
    String stopSignal;
    List<String> shell;

    /** A stage's start from its base image's config (null: scratch), with Docker's default PATH when it has none. */
    static RunConfig from(ContainerConfig c) {
        RunConfig r = new RunConfig();
        if (c != null) {
            r.hostname = nz(c.hostname());
            r.domainname = nz(c.domainname());
            r.user = nz(c.user());
            r.exposedPorts = c.exposedPorts() == null ? null : new TreeMap<>(c.exposedPorts());
            r.env = c.env() == null ? new ArrayList<>() : new ArrayList<>(c.env());
            r.cmd = c.cmd() == null ? null : List.copyOf(c.cmd());
            r.healthcheck = c.healthcheck();
            r.argsEscaped = c.argsEscaped();
            r.volumes = c.volumes() == null ? null : new TreeMap<>(c.volumes());
            r.workingDir = nz(c.workingDir());
            r.entrypoint = c.entrypoint() == null ? null : List.copyOf(c.entrypoint());
            r.onBuild = c.onBuild() == null ? null : new ArrayList<>(c.onBuild());
            r.labels = c.labels() == null ? null : new TreeMap<>(c.labels());
            r.stopSignal = c.stopSignal();
            r.shell = c.shell() == null ? null : List.copyOf(c.shell());
        }
        if (r.getEnv("PATH") == null) r.env.add("PATH=" + DEFAULT_PATH);
        return r;
    }

    private static String nz(String s) { return s == null ? "" : s; }

    RunConfig copy() { return from(toConfig()); }

    /** The shell for shell forms: SHELL's, else {@code /bin/sh -c}. */
    List<String> shellOrDefault() { return shell == null || shell.isEmpty() ? DEFAULT_SHELL : shell; }

    String getEnv(String key) {
        for (String e : env) {
            int eq = e.indexOf('=');
            if ((eq < 0 ? e : e.substring(0, eq)).equals(key)) return eq < 0 ? "" : e.substring(eq + 1);
        }
        return null;
    }

    /** Sets {@code key=value}, replacing an earlier value in place (moby keeps the position). */
    void setEnv(String key, String value) {
        for (int i = 0; i < env.size(); i++) {
            String e = env.get(i);
            int eq = e.indexOf('=');
            if ((eq < 0 ? e : e.substring(0, eq)).equals(key)) {
                env.set(i, key + "=" + value);
                return;
            }
        }
        env.add(key + "=" + value);
    }

    void addLabel(String k, String v) {
        if (labels == null) labels = new TreeMap<>();
        labels.put(k, v);
    }

    void addExposedPort(String port) {
        if (exposedPorts == null) exposedPorts = new TreeMap<>();
        exposedPorts.put(port, Map.of());
    }

    void addVolume(String path) {
        if (volumes == null) volumes = new TreeMap<>();
        volumes.put(path, Map.of());
    }

    void addOnBuild(String trigger) {
        if (onBuild == null) onBuild = new ArrayList<>();
        onBuild.add(trigger);
    }

    ContainerConfig toConfig() {
        return new ContainerConfig(hostname, domainname, user, false, false, false,
                exposedPorts == null ? null : new LinkedHashMap<>(exposedPorts), false, false, false, List.copyOf(env),
                cmd == null ? null : List.copyOf(cmd), healthcheck, argsEscaped, image,
                volumes == null ? null : new LinkedHashMap<>(volumes), workingDir,
                entrypoint == null ? null : new ArrayList<>(entrypoint), null, null,
                onBuild == null ? null : List.copyOf(onBuild), labels == null ? null : new LinkedHashMap<>(labels),
                stopSignal, null, shell == null ? null : List.copyOf(shell));
    }
}
