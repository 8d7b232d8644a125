package io.berth.engine.runtime.spec;

import io.berth.api.Json;
import io.berth.api.container.HealthConfig;
import io.berth.api.image.ContainerConfig;
import io.berth.api.errors.BerthException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Docker's merge of the image's config under the request's ({@code daemon/commit.go merge}) and the process it gives. */
public final class ConfigMerge {
    private ConfigMerge() {}

    /** The container's effective config: request fields win; the image fills what the request leaves empty. */
    public static ContainerConfig merge(ContainerConfig user, ContainerConfig image) {
        if (image == null) return user;
        String u = empty(user.user()) ? image.user() : user.user();
        Map<String, Map<String, Object>> ports = mergeMap(user.exposedPorts(), image.exposedPorts());
        List<String> env = mergeEnv(user.env(), image.env());
        Map<String, String> labels = mergeMap(user.labels(), image.labels());
        List<String> entrypoint = user.entrypoint(), cmd = user.cmd();
        Boolean argsEscaped = user.argsEscaped();
        if (entrypoint == null || entrypoint.isEmpty()) {
            if (cmd == null || cmd.isEmpty()) {
                cmd = image.cmd();
                argsEscaped = image.argsEscaped();
            }
            if (entrypoint == null) entrypoint = image.entrypoint();
        }
        // Docker's CLI sends --entrypoint "" as [""]: an explicit reset
        if (entrypoint != null && entrypoint.size() == 1 && entrypoint.getFirst().isEmpty()) entrypoint = List.of();
        Object health = mergeHealth(user.healthcheck(), image.healthcheck());
        String workdir = empty(user.workingDir()) ? image.workingDir() : user.workingDir();
        Map<String, Map<String, Object>> volumes = mergeMap(user.volumes(), image.volumes());
        List<String> onBuild = user.onBuild() == null || user.onBuild().isEmpty() ? image.onBuild() : user.onBuild();
        String stopSignal = empty(user.stopSignal()) ? image.stopSignal() : user.stopSignal();
        List<String> shell = user.shell() == null || user.shell().isEmpty() ? image.shell() : user.shell();
        return new ContainerConfig(user.hostname(), user.domainname(), u, user.attachStdin(), user.attachStdout(),
                user.attachStderr(), ports, user.tty(), user.openStdin(), user.stdinOnce(), env, cmd, health,
                argsEscaped, user.image(), volumes, workdir, entrypoint, user.networkDisabled(), user.macAddress(),
                onBuild, labels, stopSignal, user.stopTimeout(), shell);
    }

    /**
     * moby's merge of the request's {@code Healthcheck} over the image's: the image's when the request has none, else
     * each field the request leaves empty (an empty test, a zero duration or retry count) taken from the image's; zeros
     * are left out of the result, as the wire's {@code omitempty} does.
     */
    static HealthConfig mergeHealth(Object user, Object image) {
        if (user == null && image == null) return null;
        HealthConfig none = new HealthConfig(null, null, null, null, null, null);
        HealthConfig u = Json.wire().convertValue(user != null ? user : image, HealthConfig.class);
        HealthConfig i = user != null && image != null ? Json.wire().convertValue(image, HealthConfig.class) : none;
        return new HealthConfig(u.test() == null || u.test().isEmpty() ? i.test() : u.test(), or(u.interval(), i.interval()),
                or(u.timeout(), i.timeout()), or(u.startPeriod(), i.startPeriod()), or(u.startInterval(), i.startInterval()),
                or(u.retries(), i.retries()));
    }

    /** The request's value unless empty, else the image's; zero is left out, as Go's {@code omitempty}. */
    private static <N extends Number> N or(N user, N image) {
        if (user != null && user.longValue() != 0) return user;
        return image == null || image.longValue() == 0 ? null : image;
    }

    /** Entrypoint followed by Cmd; Docker's "No command specified" when both are empty. */
    public static List<String> args(ContainerConfig merged) {
        List<String> args = new ArrayList<>();
        if (merged.entrypoint() != null) args.addAll(merged.entrypoint());
        if (merged.cmd() != null) args.addAll(merged.cmd());
        if (args.isEmpty()) throw new BerthException.InvalidArgument("No command specified");
        return args;
    }

    /** Request env first, then the image's entries whose keys the request does not set. */
    static List<String> mergeEnv(List<String> user, List<String> image) {
        if (user == null || user.isEmpty()) return image == null ? user : image;
        List<String> out = new ArrayList<>(user);
        if (image != null) {
            for (String ie : image) {
                String k = key(ie);
                if (user.stream().noneMatch(ue -> key(ue).equals(k))) out.add(ie);
            }
        }
        return out;
    }

    /** Docker's {@code ReplaceOrAppendEnvValues}: overrides replace by key, append otherwise; "KEY" alone unsets. */
    public static List<String> replaceOrAppend(List<String> defaults, List<String> overrides) {
        List<String> out = new ArrayList<>(defaults);
        if (overrides == null) return out;
        for (String o : overrides) {
            String k = key(o);
            int at = -1;
            for (int i = 0; i < out.size(); i++) if (out.get(i) != null && key(out.get(i)).equals(k)) at = i;
            if (o.indexOf('=') < 0) {
                if (at >= 0) out.set(at, null);
                continue;
            }
            if (at >= 0) out.set(at, o);
            else out.add(o);
        }
        out.removeIf(java.util.Objects::isNull);
        return out;
    }

    static String key(String env) {
        int i = env.indexOf('=');
        return i < 0 ? env : env.substring(0, i);
    }

    private static boolean empty(String s) { return s == null || s.isEmpty(); }

    private static <V> Map<String, V> mergeMap(Map<String, V> user, Map<String, V> image) {
        if (image == null || image.isEmpty()) return user;
        Map<String, V> out = new LinkedHashMap<>(image);
        if (user != null) out.putAll(user);
        return out;
    }
}
