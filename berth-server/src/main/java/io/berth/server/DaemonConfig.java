package io.berth.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.engine.distribution.RegistryOptions;
import io.berth.engine.runtime.Runtimes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * berthd's settings from its flags (dockerd's names) merged with daemon.json (dockerd's keys).
 * A setting given both ways, an unknown key, or a bad value is an error with dockerd's wording.
 */
public record DaemonConfig(
        List<String> hosts,
        Path dataRoot,
        Path execRoot,
        Path pidFile,
        String logLevel,
        boolean debug,
        List<String> labels,
        Action action,
        String bridge,
        String bip,
        RegistryOptions registry,
        String registryAddr,
        Path registryRoot,
        Map<String, Runtimes.Added> runtimes,
        String defaultRuntime,
        String metricsAddr,
        boolean cgroupFavorDynmods) {

    /** Without a registry server of its own, with the stock runtimes. */
    public DaemonConfig(List<String> hosts, Path dataRoot, Path execRoot, Path pidFile, String logLevel, boolean debug,
                        List<String> labels, Action action, String bridge, String bip, RegistryOptions registry) {
        this(hosts, dataRoot, execRoot, pidFile, logLevel, debug, labels, action, bridge, bip, registry, null, null, Map.of(), null,
                null, true);
    }

    /** Without network settings: the default bridge {@code berth0} on a free pool. */
    public DaemonConfig(List<String> hosts, Path dataRoot, Path execRoot, Path pidFile, String logLevel, boolean debug,
                        List<String> labels, Action action) {
        this(hosts, dataRoot, execRoot, pidFile, logLevel, debug, labels, action, "berth0", null, null);
    }

    public static final String DEFAULT_HOST = "unix:///run/berth/berth.sock";
    public static final Path DEFAULT_CONFIG = Path.of("/etc/berth/daemon.json");
    /** The flag behind a daemon.json key, where their names differ (dockerd names conflicts by the flag). */
    private static final Map<String, String> FLAG_NAMES = Map.of("registry-mirrors", "registry-mirror",
            "insecure-registries", "insecure-registry", "runtimes", "add-runtime");
    private static final String CONFIG_FILE = "\0config-file";
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "fatal", "panic");

    /** What main should do. */
    public enum Action { RUN, HELP, VERSION }

    /** A configuration error: one line for stderr. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) { super(message); }
    }

    public static final String USAGE = """
            Usage:	berthd [OPTIONS]

            A self-sufficient runtime for containers, speaking the Docker Engine API.

            Options:
                  --add-runtime runtime  Register an additional OCI compatible runtime (name=path)
                  --config-file string   Daemon configuration file (default "/etc/berth/daemon.json")
                  --data-root string     Root directory of persistent Berth state (default "/var/lib/berth")
              -D, --debug                Enable debug mode
                  --default-runtime string   Default OCI runtime for containers (default "crun" where installed, else "runc")
                  --exec-root string     Root directory for execution state files (default "/run/berth")
                  --bip string           Specify default-bridge IPv4 network
                  --cgroup-favordynmods  Remount cgroup2 with favordynmods: containers start without waiting for the
                                         kernel's cgroup migration lock (default true)
              -b, --bridge string        Attach containers to a network bridge (default "berth0")
              -h, --help                 Print usage
              -H, --host list            Daemon socket(s) to connect to (default unix:///run/berth/berth.sock)
                  --insecure-registry list       Enable insecure registry communication
                  --label list           Set key=value labels to the daemon
              -l, --log-level string     Set the logging level ("debug"|"info"|"warn"|"error"|"fatal") (default "info")
                  --max-concurrent-downloads int   Set the max concurrent downloads (default 3)
                  --max-concurrent-uploads int     Set the max concurrent uploads (default 5)
                  --metrics-addr string  Set default address and port to serve the metrics api on
              -p, --pidfile string       Path to use for daemon PID file (default "<exec-root>/berthd.pid")
                  --registry-certs-dir string      Per-registry TLS files <dir>/<host[:port]>/{ca.crt,client.cert,client.key}
                                                   (default "certs.d" next to the config file: "/etc/berth/certs.d")
                  --registry-addr string           Also serve a registry (berth registry) on this HOST:PORT
                  --registry-mirror list           Preferred Docker registry mirror
                  --registry-root string           The served registry's storage (default "<data-root>/registry")
              -v, --version              Print version information and quit
            """;

    /** Parses flags, then reads the config file. */
    public static DaemonConfig load(String[] args) throws ConfigException {
        Map<String, Object> flags = new LinkedHashMap<>();
        List<String> hosts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> mirrors = new ArrayList<>();
        List<String> insecure = new ArrayList<>();
        Map<String, Runtimes.Added> runtimes = new LinkedHashMap<>();
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("-") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> { return action(Action.HELP); }
                case "-v", "--version" -> { return action(Action.VERSION); }
                case "-D", "--debug", "--cgroup-favordynmods" -> {
                    if (value != null && !value.equals("true") && !value.equals("false")) {
                        throw new ConfigException("invalid argument \"" + value + "\" for \"" + name + "\" flag: parse error");
                    }
                    flags.put(name.equals("--cgroup-favordynmods") ? "cgroup-favordynmods" : "debug", value == null || value.equals("true"));
                }
                case "-H", "--host", "--data-root", "--exec-root", "-p", "--pidfile", "-l", "--log-level",
                     "--label", "--config-file", "-b", "--bridge", "--bip", "--registry-mirror", "--insecure-registry",
                     "--max-concurrent-downloads", "--max-concurrent-uploads", "--registry-certs-dir", "--registry-addr",
                     "--registry-root", "--add-runtime", "--default-runtime", "--metrics-addr" -> {
                    if (value == null) {
                        if (++i >= args.length) throw new ConfigException("flag needs an argument: " + name);
                        value = args[i];
                    }
                    switch (name) {
                        case "-H", "--host" -> hosts.add(value);
                        case "--label" -> labels.add(value);
                        case "--data-root" -> flags.put("data-root", value);
                        case "--exec-root" -> flags.put("exec-root", value);
                        case "-p", "--pidfile" -> flags.put("pidfile", value);
                        case "-l", "--log-level" -> flags.put("log-level", value);
                        case "-b", "--bridge" -> flags.put("bridge", value);
                        case "--bip" -> flags.put("bip", value);
                        case "--registry-mirror" -> mirrors.add(value);
                        case "--insecure-registry" -> insecure.add(value);
                        case "--registry-certs-dir" -> flags.put("registry-certs-dir", value);
                        case "--registry-addr" -> flags.put("registry-addr", value);
                        case "--metrics-addr" -> flags.put("metrics-addr", value);
                        case "--registry-root" -> flags.put("registry-root", value);
                        case "--default-runtime" -> flags.put("default-runtime", value);
                        case "--add-runtime" -> addRuntime(runtimes, value);
                        case "--max-concurrent-downloads", "--max-concurrent-uploads" -> {
                            try {
                                flags.put(name.substring(2), Integer.parseInt(value));
                            } catch (NumberFormatException e) {
                                throw new ConfigException("invalid argument \"" + value + "\" for \"" + name
                                        + "\" flag: strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
                            }
                        }
                        default -> configFile = Path.of(value);
                    }
                }
                default -> {
                    if (arg.startsWith("-")) throw new ConfigException("unknown flag: " + name);
                    throw new ConfigException("\"berthd\" accepts no arguments; see 'berthd --help'");
                }
            }
        }
        if (!hosts.isEmpty()) flags.put("hosts", List.copyOf(hosts));
        if (!labels.isEmpty()) flags.put("labels", List.copyOf(labels));
        if (!mirrors.isEmpty()) flags.put("registry-mirrors", List.copyOf(mirrors));
        if (!insecure.isEmpty()) flags.put("insecure-registries", List.copyOf(insecure));
        if (!runtimes.isEmpty()) flags.put("runtimes", Map.copyOf(runtimes));
        Map<String, Object> file = readFile(configFile == null ? DEFAULT_CONFIG : configFile, configFile != null);
        Path shown = configFile == null ? DEFAULT_CONFIG : configFile;
        List<String> conflicts = new ArrayList<>();
        for (var e : file.entrySet()) {
            if (flags.containsKey(e.getKey())) {
                conflicts.add(FLAG_NAMES.getOrDefault(e.getKey(), e.getKey()) + ": (from flag: " + show(flags.get(e.getKey())) + ", from file: " + show(e.getValue()) + ")");
            }
        }
        if (!conflicts.isEmpty()) {
            throw new ConfigException("unable to configure the Docker daemon with file " + shown
                    + ": the following directives are specified both as a flag and in the configuration file: "
                    + String.join(", ", conflicts));
        }
        Map<String, Object> all = new LinkedHashMap<>(file);
        all.putAll(flags);
        all.put(CONFIG_FILE, shown);
        return build(all);
    }

    private static DaemonConfig action(Action a) {
        return new DaemonConfig(List.of(DEFAULT_HOST), Path.of("/var/lib/berth"), Path.of("/run/berth"),
                Path.of("/run/berth/berthd.pid"), "info", false, List.of(), a);
    }

    @SuppressWarnings("unchecked")
    private static DaemonConfig build(Map<String, Object> all) throws ConfigException {
        boolean debug = (Boolean) all.getOrDefault("debug", false);
        String level = ((String) all.getOrDefault("log-level", debug ? "debug" : "info")).toLowerCase();
        if (!LEVELS.contains(level)) throw new ConfigException("unable to parse logging level: " + all.get("log-level"));
        List<String> hosts = (List<String>) all.getOrDefault("hosts", List.of(DEFAULT_HOST));
        if (hosts.isEmpty()) hosts = List.of(DEFAULT_HOST);
        for (String h : hosts) address(h); // validate early
        for (Object l : (List<Object>) all.getOrDefault("labels", List.of())) {
            String s = (String) l;
            int eq = s.indexOf('=');
            if (eq <= 0) throw new ConfigException("invalid label '" + s + "': must be key=value");
        }
        Path dataRoot = Path.of((String) all.getOrDefault("data-root", "/var/lib/berth")).toAbsolutePath().normalize();
        Path execRoot = Path.of((String) all.getOrDefault("exec-root", "/run/berth")).toAbsolutePath().normalize();
        Path pid = all.containsKey("pidfile") ? Path.of((String) all.get("pidfile")).toAbsolutePath().normalize()
                : execRoot.resolve("berthd.pid");
        return new DaemonConfig(List.copyOf(hosts), dataRoot, execRoot, pid, level, debug || level.equals("debug")
                || level.equals("trace"), List.copyOf((List<String>) all.getOrDefault("labels", List.of())), Action.RUN,
                bridge(all), bip(all), RegistryFlags.from(all, (Path) all.get(CONFIG_FILE)), hostPort(all, "registry-addr"),
                all.containsKey("registry-root") ? Path.of((String) all.get("registry-root")).toAbsolutePath().normalize()
                        : dataRoot.resolve("registry"),
                (Map<String, Runtimes.Added>) all.getOrDefault("runtimes", Map.of()), (String) all.get("default-runtime"),
                hostPort(all, "metrics-addr"), (Boolean) all.getOrDefault("cgroup-favordynmods", true));
    }

    /** dockerd's {@code --add-runtime name=path}: a name, a path, runc reserved, each name once. */
    private static void addRuntime(Map<String, Runtimes.Added> runtimes, String value) throws ConfigException {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) throw new ConfigException("invalid runtime argument: " + value);
        String name = value.substring(0, eq);
        if (name.equals(Runtimes.RUNC)) throw new ConfigException("runtime name '" + Runtimes.RUNC + "' is reserved");
        if (runtimes.containsKey(name)) throw new ConfigException("runtime '" + name + "' was already defined");
        runtimes.put(name, new Runtimes.Added(value.substring(eq + 1), List.of()));
    }

    /** daemon.json's {@code runtimes}: {@code {"name": {"path": "...", "runtimeArgs": ["..."]}}}. */
    private static Map<String, Runtimes.Added> runtimes(JsonNode v, String prefix) throws ConfigException {
        if (!v.isObject()) throw new ConfigException(prefix + "runtimes must be an object");
        Map<String, Runtimes.Added> out = new LinkedHashMap<>();
        for (var it = v.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals(Runtimes.RUNC)) throw new ConfigException(prefix + "runtime name '" + Runtimes.RUNC + "' is reserved");
            JsonNode path = e.getValue().path("path");
            if (!path.isTextual() || path.asText().isEmpty()) {
                throw new ConfigException(prefix + "runtime " + e.getKey() + ": either a runtimeType or a path must be configured");
            }
            List<String> args = new ArrayList<>();
            for (JsonNode a : e.getValue().path("runtimeArgs")) args.add(a.asText());
            out.put(e.getKey(), new Runtimes.Added(path.asText(), args));
        }
        return out;
    }

    /** A HOST:PORT setting ({@code registry-addr}, {@code metrics-addr}), or null when not set. */
    private static String hostPort(Map<String, Object> all, String key) throws ConfigException {
        String a = (String) all.get(key);
        if (a == null || a.isEmpty()) return null;
        if (!a.matches("(\\[[0-9a-fA-F:.]+]|[^:\\[\\]]*):\\d{1,5}")) {
            throw new ConfigException("invalid argument \"" + a + "\" for \"--" + key + "\" flag: must be HOST:PORT");
        }
        return a;
    }

    /** A HOST:PORT as a socket address to bind (an empty host: every address). */
    public static InetSocketAddress tcpAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    private static String bridge(Map<String, Object> all) throws ConfigException {
        String b = (String) all.getOrDefault("bridge", "berth0");
        if (b.isEmpty() || b.length() > 15 || !b.matches("[a-zA-Z0-9_.-]+")) throw new ConfigException("invalid bridge name: " + b);
        return b;
    }

    private static String bip(Map<String, Object> all) throws ConfigException {
        String b = (String) all.get("bip");
        if (b == null || b.isEmpty()) return null;
        if (!b.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new ConfigException("invalid argument \"" + b + "\" for \"--bip\" flag: invalid CIDR address: " + b);
        }
        return b;
    }

    private static Map<String, Object> readFile(Path path, boolean required) throws ConfigException {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            if (required) throw new ConfigException("unable to configure the Docker daemon with file " + path + ": open "
                    + path + ": no such file or directory");
            return Map.of();
        } catch (IOException e) {
            throw new ConfigException("unable to configure the Docker daemon with file " + path + ": " + e.getMessage());
        }
        String prefix = "unable to configure the Docker daemon with file " + path + ": ";
        Map<String, Object> out = new LinkedHashMap<>();
        if (text.isBlank()) return out;
        JsonNode root;
        try {
            root = Json.plain().readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(prefix + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new ConfigException(prefix + "the configuration must be a JSON object");
        List<String> unknown = new ArrayList<>();
        for (var it = root.properties().iterator(); it.hasNext(); ) {
            var f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "hosts", "labels", "registry-mirrors", "insecure-registries" -> {
                    if (!v.isArray()) throw new ConfigException(prefix + f.getKey() + " must be a list of strings");
                    List<String> list = new ArrayList<>();
                    for (JsonNode x : v) {
                        if (!x.isTextual()) throw new ConfigException(prefix + f.getKey() + " must be a list of strings");
                        list.add(x.asText());
                    }
                    out.put(f.getKey(), list);
                }
                case "data-root", "exec-root", "pidfile", "log-level", "bridge", "bip", "registry-certs-dir", "registry-addr",
                     "registry-root", "default-runtime", "metrics-addr" -> {
                    if (!v.isTextual()) throw new ConfigException(prefix + f.getKey() + " must be a string");
                    out.put(f.getKey(), v.asText());
                }
                case "runtimes" -> out.put("runtimes", runtimes(v, prefix));
                case "max-concurrent-downloads", "max-concurrent-uploads" -> {
                    if (!v.isInt()) throw new ConfigException(prefix + f.getKey() + " must be an integer");
                    out.put(f.getKey(), v.asInt());
                }
                case "debug", "cgroup-favordynmods" -> {
                    if (!v.isBoolean()) throw new ConfigException(prefix + f.getKey() + " must be true or false");
                    out.put(f.getKey(), v.asBoolean());
                }
                default -> unknown.add(f.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(prefix + "the following directives don't match any configuration option: "
                    + String.join(", ", unknown));
        }
        return out;
    }

    private static String show(Object v) {
        return v instanceof List<?> l ? "[" + String.join(" ", l.stream().map(String::valueOf).toList()) + "]" : String.valueOf(v);
    }

    /** Parses {@code unix:///path} or {@code tcp://host:port} into a socket address. */
    public static SocketAddress address(String host) throws ConfigException {
        if (host.startsWith("unix://")) {
            String p = host.substring("unix://".length());
            if (p.isEmpty()) p = "/run/berth/berth.sock";
            if (!p.startsWith("/")) throw new ConfigException("Invalid bind address format: " + host);
            return UnixDomainSocketAddress.of(p);
        }
        if (host.startsWith("tcp://")) {
            String hp = host.substring("tcp://".length());
            if (hp.endsWith("/")) hp = hp.substring(0, hp.length() - 1);
            int colon = hp.lastIndexOf(':');
            String h = colon < 0 ? hp : hp.substring(0, colon);
            String port = colon < 0 ? "2375" : hp.substring(colon + 1);
            if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
            if (h.isEmpty()) h = "127.0.0.1";
            try {
                int n = Integer.parseInt(port);
                if (n < 0 || n > 65535) throw new NumberFormatException();
                return new InetSocketAddress(h, n);
            } catch (NumberFormatException e) {
                throw new ConfigException("Invalid bind address format: " + host);
            }
        }
        if (host.startsWith("fd://")) throw new ConfigException("fd:// listeners (socket activation) are not supported: " + host);
        throw new ConfigException("Invalid bind address format: " + host);
    }
}
