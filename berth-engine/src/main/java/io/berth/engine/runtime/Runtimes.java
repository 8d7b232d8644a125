package io.berth.engine.runtime;

import io.berth.api.errors.BerthException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The closed set of OCI runtimes berthd offers (dockerd's {@code runtimes} and {@code default-runtime}):
 * the stock {@code runc}, {@code crun} where it is installed, and those added with
 * {@code --add-runtime} or daemon.json. The default is the configured one, else crun where it is
 * installed and may be the default (it creates a container in a third of runc's time), else runc.
 *
 * @param byName      every runtime by name, sorted
 * @param defaultName the runtime of a container created without {@code --runtime}
 */
public record Runtimes(Map<String, ConfiguredRuntime> byName, String defaultName) {
    /** The stock runtime's name; it cannot be redefined (dockerd's rule). */
    public static final String RUNC = "runc";
    public static final String CRUN = "crun";

    public Runtimes {
        byName = Collections.unmodifiableMap(new TreeMap<>(byName));
        if (!byName.containsKey(defaultName)) {
            throw new BerthException.InvalidArgument("specified default runtime '" + defaultName + "' does not exist");
        }
    }

    /**
     * The runtimes of this host: runc and crun as found on PATH, then {@code added} (name → path and
     * arguments; a relative path is looked up on PATH); {@code defaultName} null or empty picks crun
     * when installed and {@code crunByDefault} (it can run here: {@link RuntimeLauncher#usable()}), else runc.
     */
    public static Runtimes of(Map<String, Added> added, String defaultName, boolean crunByDefault) {
        if (added.containsKey(RUNC)) throw new BerthException.InvalidArgument("runtime name '" + RUNC + "' is reserved");
        Map<String, ConfiguredRuntime> all = new LinkedHashMap<>();
        Binaries.find(RUNC).ifPresent(p -> all.put(RUNC, new ConfiguredRuntime(RUNC, RUNC, p, List.of())));
        Binaries.find(CRUN).ifPresent(p -> all.put(CRUN, new ConfiguredRuntime(CRUN, p.toString(), p, List.of())));
        for (var e : added.entrySet()) {
            Path binary = Binaries.find(e.getValue().path()).orElseThrow(() -> new BerthException.InvalidArgument(
                    "runtime " + e.getKey() + ": " + e.getValue().path() + " is not an executable file"));
            all.put(e.getKey(), new ConfiguredRuntime(e.getKey(), e.getValue().path(), binary, e.getValue().args()));
        }
        if (all.isEmpty()) Binaries.require(RUNC); // Unavailable, with the hint to install Berth's packages
        String chosen = defaultName != null && !defaultName.isEmpty() ? defaultName
                : crunByDefault && all.containsKey(CRUN) ? CRUN : RUNC;
        return new Runtimes(all, chosen);
    }

    /** A runtime from {@code --add-runtime name=path} or daemon.json's {@code runtimes}. */
    public record Added(String path, List<String> args) {
        public Added {
            args = List.copyOf(args);
        }
    }

    /** The runtime of that name; Docker's message for an unknown one. */
    public ConfiguredRuntime get(String name) {
        return find(name).orElseThrow(() -> new BerthException.InvalidArgument("Unknown runtime specified " + name));
    }

    public Optional<ConfiguredRuntime> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
