package io.berth.engine.container;

import io.berth.api.container.HostConfig;
import io.berth.api.container.LogConfig;
import io.berth.api.container.RestartPolicy;
import io.berth.api.errors.BerthException;
import io.berth.engine.runtime.LogRotator;
import io.berth.engine.runtime.Runtimes;
import java.util.Map;
import java.util.Set;

/** Checks a create request's HostConfig as dockerd does, and fills Docker's defaults. */
final class ContainerValidation {
    private static final Set<String> POLICIES = Set.of("", "no", "always", "unless-stopped", "on-failure");
    /** The options each log driver takes besides moby's built-in {@code mode} and {@code max-buffer-size}. */
    private static final Map<String, Set<String>> LOG_DRIVER_OPTS = Map.of(
            "json-file", Set.of("max-size", "max-file", "compress", "labels", "labels-regex", "env", "env-regex", "tag"),
            "k8s-file", Set.of("max-size", "max-file", "compress", "labels", "labels-regex", "env", "env-regex", "tag"),
            "local", Set.of("max-size", "max-file", "compress"),
            "none", Set.of());

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
        logConfig(h.logConfig());
        logRotation(h); // refuses bad max-size and max-file values at create, as 400
        // network modes naming a network are checked by networking (NetworkHooks.created)
        return withDefaultLogConfig(h);
    }

    /**
     * moby's {@code ValidateLogOpts}: {@code none} takes anything; otherwise a known logging mode,
     * {@code max-buffer-size} only in non-blocking mode, a registered driver (an unknown name is looked
     * up as a plugin, hence Docker's message) and only the options that driver knows.
     */
    static void logConfig(LogConfig log) {
        if (log == null) return;
        String type = log.type() == null || log.type().isEmpty() ? "json-file" : log.type(); // the daemon's default driver
        if (type.equals("none")) return;
        Map<String, String> opts = log.config() == null ? Map.of() : log.config();
        String mode = opts.getOrDefault("mode", "");
        if (!Set.of("", "blocking", "non-blocking").contains(mode)) {
            throw new BerthException.InvalidArgument("logger: logging mode not supported: " + mode);
        }
        String buffer = opts.get("max-buffer-size");
        if (buffer != null) {
            if (!mode.equals("non-blocking")) {
                throw new BerthException.InvalidArgument("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
            }
            Sizes.parse(buffer, "max-buffer-size");
        }
        Set<String> known = LOG_DRIVER_OPTS.get(type);
        if (known == null) {
            throw new BerthException.InvalidArgument("error looking up logging plugin " + type + ": plugin \"" + type + "\" not found");
        }
        for (String k : opts.keySet()) {
            if (k.equals("mode") || k.equals("max-buffer-size") || known.contains(k)) continue;
            throw new BerthException.InvalidArgument(type.equals("local")
                    ? "unknown log opt '" + k + "' for log driver local"
                    : "unknown log opt '" + k + "' for " + type + " log driver");
        }
    }

    /**
     * moby's {@code HostConfig.Runtime}: one of the daemon's runtimes ("Unknown runtime specified" otherwise),
     * the default one when the request names none. The container keeps it for its life.
     */
    static HostConfig runtime(HostConfig h, Runtimes runtimes) {
        if (h.runtime() != null && !h.runtime().isEmpty()) {
            runtimes.get(h.runtime());
            return h;
        }
        HostConfig.Builder b = h.toBuilder();
        b.runtime = runtimes.defaultName();
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
     * local five. Docker takes json-file's max-file without max-size (and then never rotates); Berth
     * takes it too and rotates at the default size.
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
