package io.berth.engine.container;

import io.berth.api.container.HostConfig;
import io.berth.api.container.LogConfig;
import io.berth.api.container.RestartPolicy;
import io.berth.engine.errors.BerthException;
import java.util.Map;
import java.util.Set;

/** Checks a create request's HostConfig as dockerd does, and fills Docker's defaults. */
final class ContainerValidation {
    private static final Set<String> POLICIES = Set.of("", "no", "always", "unless-stopped", "on-failure");
    private static final Set<String> LOG_DRIVERS = Set.of("json-file", "local", "none", "k8s-file");

    private ContainerValidation() {}

    static HostConfig hostConfig(HostConfig h) {
        RestartPolicy rp = h.restartPolicy();
        if (rp != null) {
            String name = rp.name() == null ? "" : rp.name();
            if (!POLICIES.contains(name)) throw new BerthException.InvalidArgument("invalid restart policy: unknown policy '" + name + "'");
            int max = rp.maximumRetryCount() == null ? 0 : rp.maximumRetryCount();
            if (max < 0) throw new BerthException.InvalidArgument("invalid restart policy: maximum retry count can't be negative");
            if (max > 0 && !name.equals("on-failure")) {
                throw new BerthException.InvalidArgument("invalid restart policy: maximum retry count can only be used with 'on-failure'");
            }
            if (Boolean.TRUE.equals(h.autoRemove()) && !name.isEmpty() && !name.equals("no")) {
                throw new BerthException.InvalidArgument("can't create 'AutoRemove' container with restart policy");
            }
        }
        LogConfig log = h.logConfig();
        if (log != null && log.type() != null && !log.type().isEmpty()) {
            if (!LOG_DRIVERS.contains(log.type())) {
                throw new BerthException.InvalidArgument("failed to create task for container: logger: no log driver named '" + log.type() + "' is registered");
            }
            Map<String, String> opts = log.config() == null ? Map.of() : log.config();
            for (String k : opts.keySet()) {
                if (!Set.of("max-size", "max-file", "compress", "labels", "env", "tag", "mode").contains(k)) {
                    throw new BerthException.InvalidArgument("unknown log opt '" + k + "' for " + log.type() + " log driver");
                }
            }
            if (opts.containsKey("max-size")) Sizes.parse(opts.get("max-size"), "max-size");
        }
        // network modes naming a network are checked by networking (NetworkHooks.created)
        return h;
    }

    /** The configured log size limit in bytes, or the default (10 MB as Docker's local driver keeps per file). */
    static long logMaxSize(HostConfig h) {
        LogConfig log = h.logConfig();
        if (log == null || log.config() == null || !log.config().containsKey("max-size")) return 0;
        return Sizes.parse(log.config().get("max-size"), "max-size");
    }
}
