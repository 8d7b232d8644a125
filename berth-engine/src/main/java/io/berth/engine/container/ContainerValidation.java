package io.berth.engine.container;

import io.berth.api.container.HostConfig;
import io.berth.api.container.LogConfig;
import io.berth.api.container.RestartPolicy;
import io.berth.api.errors.BerthException;
import io.berth.engine.runtime.LogRotator;
import java.util.Map;
import java.util.Set;

/** Checks a create request's HostConfig as dockerd does, and fills Docker's defaults. */
final class ContainerValidation {
    private static final Set<String> POLICIES = Set.of("", "no", "always", "unless-stopped", "on-failure");
    private static final Set<String> LOG_DRIVERS = Set.of("json-file", "local", "none", "k8s-file");

    private ContainerValidation() {}

    /** moby's {@code validateRestartPolicy}, for create and update alike: a known name, a retry count only for on-failure. */
    static void restartPolicy(RestartPolicy rp) {
        if (rp == null) return;
        String name = rp.name() == null ? "" : rp.name();
        if (!POLICIES.contains(name)) throw new BerthException.InvalidArgument("invalid restart policy: unknown policy '" + name + "'");
        int max = rp.maximumRetryCount() == null ? 0 : rp.maximumRetryCount();
        if (max < 0) throw new BerthException.InvalidArgument("invalid restart policy: maximum retry count can't be negative");
        if (max > 0 && !name.equals("on-failure")) {
            throw new BerthException.InvalidArgument("invalid restart policy: maximum retry count can only be used with 'on-failure'");
        }
    }

    static HostConfig hostConfig(HostConfig h) {
        RestartPolicy rp = h.restartPolicy();
        restartPolicy(rp);
        if (rp != null) {
            String name = rp.name() == null ? "" : rp.name();
            if (Boolean.TRUE.equals(h.autoRemove()) && !name.isEmpty() && !name.equals("no")) {
                throw new BerthException.InvalidArgument("can't create 'AutoRemove' container with restart policy");
            }
        }
        LogConfig log = h.logConfig();
        if (log != null && log.type() != null && !log.type().isEmpty()) {
            if (!LOG_DRIVERS.contains(log.type())) { // moby looks for a logging plugin of that name, and has none
                throw new BerthException.NotFound("error looking up logging plugin " + log.type() + ": plugin \"" + log.type() + "\" not found");
            }
            Map<String, String> opts = log.config() == null ? Map.of() : log.config();
            for (String k : opts.keySet()) {
                if (!Set.of("max-size", "max-file", "compress", "labels", "env", "tag", "mode").contains(k)) {
                    throw new BerthException.InvalidArgument("unknown log opt '" + k + "' for " + log.type() + " log driver");
                }
            }
        }
        logRotation(h); // refuses bad max-size and max-file values at create, as 400
        if (h.runtime() != null && !h.runtime().isEmpty() && !h.runtime().equals(DEFAULT_RUNTIME)) {
            throw new BerthException.InvalidArgument("Unknown runtime specified " + h.runtime());
        }
        // network modes naming a network are checked by networking (NetworkHooks.created)
        return withDefaultRuntime(withDefaultLogConfig(h));
    }

    /** The one OCI runtime berthd runs containers with, as inspect names it. */
    static final String DEFAULT_RUNTIME = "runc";

    /** moby's {@code HostConfig.Runtime}: the daemon's default runtime when the request names none. */
    private static HostConfig withDefaultRuntime(HostConfig h) {
        if (h.runtime() != null && !h.runtime().isEmpty()) return h;
        HostConfig.Builder b = h.toBuilder();
        b.runtime = DEFAULT_RUNTIME;
        return b.build();
    }

    /**
     * moby's {@code mergeAndVerifyLogConfig}: a container created without a log driver gets the daemon's
     * ({@code json-file}) and an empty option map, so inspect shows {@code {"Type":"json-file","Config":{}}} (docker-py's
     * {@code containers.run} reads {@code HostConfig.LogConfig.Type}).
     */
    private static HostConfig withDefaultLogConfig(HostConfig h) {
        LogConfig log = h.logConfig();
        if (log != null && log.type() != null && !log.type().isEmpty() && log.config() != null) return h;
        HostConfig.Builder b = h.toBuilder();
        b.logConfig = new LogConfig(log == null || log.type() == null || log.type().isEmpty() ? "json-file" : log.type(),
                log == null || log.config() == null ? Map.of() : log.config());
        return b.build();
    }

    /**
     * When the container's log is rotated, or null if it keeps no log ({@code none}). Docker's
     * json-file keeps one unbounded file by default; Berth gives json-file and local alike the
     * default of Docker's {@code local} driver, max-size 20m and max-file 5, so that no container
     * fills the disk. With max-size alone json-file keeps one file (Docker's default max-file 1),
     * local five; with max-file alone (which Docker's json-file takes, then never rotating) the
     * files are 20m each.
     */
    static LogRotator.Policy logRotation(HostConfig h) {
        LogConfig log = h.logConfig();
        String driver = log == null || log.type() == null || log.type().isEmpty() ? "json-file" : log.type();
        if (driver.equals("none")) return null;
        Map<String, String> opts = log == null || log.config() == null ? Map.of() : log.config();
        String size = opts.get("max-size");
        String files = opts.get("max-file");
        if (size == null && files == null) return new LogRotator.Policy(DEFAULT_MAX_SIZE, DEFAULT_MAX_FILE);
        long maxSize = DEFAULT_MAX_SIZE;
        if (size != null) {
            maxSize = Sizes.parse(size, "max-size");
            if (maxSize <= 0) throw new BerthException.InvalidArgument("max-size must be a positive number");
        }
        int maxFile = driver.equals("local") ? DEFAULT_MAX_FILE : 1;
        if (files != null) {
            try {
                maxFile = Integer.parseInt(files.trim());
            } catch (NumberFormatException e) {
                throw new BerthException.InvalidArgument("strconv.Atoi: parsing \"" + files + "\": invalid syntax");
            }
            if (maxFile < 1) throw new BerthException.InvalidArgument("max-file cannot be less than 1");
        }
        return new LogRotator.Policy(maxSize, maxFile);
    }

    /** Docker's local driver defaults (daemon/logger/local: 20 MiB per file, 5 files). */
    static final long DEFAULT_MAX_SIZE = 20L * 1024 * 1024;
    static final int DEFAULT_MAX_FILE = 5;
}
