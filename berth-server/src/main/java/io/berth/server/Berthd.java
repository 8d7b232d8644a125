package io.berth.server;

import io.berth.engine.service.BerthVersion;
import io.berth.engine.service.ContainerService;
import io.berth.engine.daemon.Engine;
import io.berth.engine.daemon.EngineOptions;
import io.berth.engine.service.ImageService;
import io.berth.engine.service.SystemService;
import io.berth.api.errors.BerthException;
import io.berth.engine.events.EventBus;
import io.berth.server.api.ApiRoutes;
import io.berth.server.api.Backends;
import io.berth.http.HttpServer;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code berthd}: reads flags and daemon.json, opens the engine (taking the data-root lock), writes
 * the pidfile, binds the API listeners and serves until SIGTERM/SIGINT, then cleans up and exits 0.
 */
public final class Berthd implements AutoCloseable {
    private final DaemonConfig config;
    private final HttpServer server;
    private final List<Path> socketFiles = new ArrayList<>();
    private final AutoCloseable engine;
    private io.berth.registry.RegistryServer registry;
    private io.berth.server.metrics.MetricsFront metrics;
    private boolean pidWritten;
    private boolean closed;

    private Berthd(DaemonConfig config, HttpServer server, AutoCloseable engine) {
        this.config = config;
        this.server = server;
        this.engine = engine;
    }

    public static void main(String[] args) {
        DaemonConfig config;
        try {
            config = DaemonConfig.load(args);
        } catch (DaemonConfig.ConfigException e) {
            fail(e.getMessage());
            return;
        }
        switch (config.action()) {
            case HELP -> {
                System.out.print(DaemonConfig.USAGE);
                return;
            }
            case VERSION -> {
                System.out.println("Berth version " + BerthVersion.VERSION);
                return;
            }
            case RUN -> { }
        }
        configureLogging(config.logLevel());
        Warmup.start();
        long t0 = System.nanoTime();
        Engine engine;
        try {
            engine = Engine.open(new EngineOptions(config.dataRoot(), config.execRoot(), config.labels(), config.debug())
                    .withNetwork(config.bridge(), config.bip()).withRegistry(config.registry())
                    .withRuntimes(config.runtimes(), config.defaultRuntime())
                    .withCgroupFavorDynmods(config.cgroupFavorDynmods()));
        } catch (BerthException e) {
            fail(e.getMessage());
            return;
        }
        LoggerFactory.getLogger(Berthd.class).debug("engine opened in {} ms", (System.nanoTime() - t0) / 1_000_000);
        Berthd daemon;
        try {
            daemon = start(config, backends(engine), engine);
        } catch (StartupException e) {
            engine.close();
            fail(e.getMessage());
            return;
        }
        Warmup.afterStart(engine);
        serveUntilSignalled(daemon);
    }

    /** Installs the shutdown hook and SIGTERM/SIGINT handlers, then blocks until the JVM exits. */
    /** The engine's face as the routers take it. */
    public static Backends backends(Engine e) {
        return new Backends(e.system(), e.events(), e.images(), e.containers(), e.containerFs(), e.exec(), e.resources(),
                e.volumes(), e.networks(), e.distribution(), e.build(), e.metrics());
    }

    public static void serveUntilSignalled(Berthd daemon) {
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "berthd-shutdown"));
        exitZeroOn("TERM");
        exitZeroOn("INT");
        ignoreHangUp();
        try {
            new CountDownLatch(1).await(); // serve until a signal ends the JVM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Parses flags for a daemon whose backends the caller provides (tests, tools); exits on errors. */
    public static DaemonConfig configOrExit(String[] args) {
        try {
            DaemonConfig c = DaemonConfig.load(args);
            configureLogging(c.logLevel());
            Warmup.start();
            return c;
        } catch (DaemonConfig.ConfigException e) {
            fail(e.getMessage());
            throw new IllegalStateException("unreachable");
        }
    }

    /** A startup failure with a one-line message. */
    public static final class StartupException extends Exception {
        public StartupException(String message) { super(message); }
    }

    /**
     * Starts serving the API over the given backends: writes the pidfile, replaces stale socket
     * files, binds and chmods the sockets. The caller must already hold the data-root lock.
     * {@code engine} is closed by {@link #close()}.
     */
    public static Berthd start(DaemonConfig config, Backends backends, AutoCloseable engine) throws StartupException {
        Logger log = LoggerFactory.getLogger(Berthd.class);
        HttpServer server = ApiRoutes.server(ApiRoutes.router(backends));
        Berthd d = new Berthd(config, server, engine);
        try {
            d.writePidFile();
            for (String host : config.hosts()) {
                SocketAddress addr;
                try {
                    addr = DaemonConfig.address(host);
                } catch (DaemonConfig.ConfigException e) {
                    throw new StartupException(e.getMessage());
                }
                if (addr instanceof UnixDomainSocketAddress u) {
                    Path sock = u.getPath();
                    try {
                        Files.createDirectories(sock.toAbsolutePath().getParent());
                        // we hold the data-root lock: a socket file left here is from a dead daemon
                        if (Files.exists(sock, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(sock)) Files.delete(sock);
                        // bind under a temporary name and rename: the socket path appears only once
                        // it is listening and has its final mode, so a client never sees a refusal
                        Path tmp = sock.resolveSibling("." + sock.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
                        Files.deleteIfExists(tmp);
                        server.listen(UnixDomainSocketAddress.of(tmp));
                        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-rw----"));
                        Files.move(tmp, sock, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        d.socketFiles.add(sock);
                    } catch (IOException e) {
                        throw new StartupException("cannot listen on " + host + ": " + e.getMessage());
                    }
                    log.info("API listen on {}", sock);
                } else {
                    try {
                        log.info("API listen on {}", server.listen(addr));
                    } catch (IOException e) {
                        throw new StartupException("cannot listen on " + host + ": " + e.getMessage());
                    }
                    log.warn("the API on {} is not protected by TLS: anyone who can reach it controls this host", host);
                }
            }
            if (config.registryAddr() != null) d.startRegistry(log);
            if (config.metricsAddr() != null && backends.metrics() != null) d.startMetrics(log, backends.metrics());
        } catch (StartupException | RuntimeException e) {
            d.close(false);
            throw e;
        }
        log.info("berthd {} started (data root {}, exec root {}) {} ms after process start", BerthVersion.VERSION,
                config.dataRoot(), config.execRoot(), ProcessHandle.current().info().startInstant()
                        .map(i -> java.time.Duration.between(i, java.time.Instant.now()).toMillis()).orElse(-1L));
        return d;
    }

    /** The metrics listener ({@code --metrics-addr}). */
    private void startMetrics(Logger log, io.berth.engine.service.MetricsService service) throws StartupException {
        String a = config.metricsAddr();
        metrics = new io.berth.server.metrics.MetricsFront(service);
        try {
            log.info("metrics listen on {}", metrics.listen(DaemonConfig.tcpAddress(a)));
        } catch (IOException e) {
            throw new StartupException("failed to listen on metrics-addr " + a + ": " + e.getMessage());
        }
    }

    /** The registry server on a listener of its own (no authentication: bind it to a trusted address). */
    private void startRegistry(Logger log) throws StartupException {
        String a = config.registryAddr();
        var address = io.berth.registry.RegistryConfig.address(a);
        try {
            registry = new io.berth.registry.RegistryServer(io.berth.registry.RegistryConfig.of(address, config.registryRoot()));
            log.info("registry listen on {} (root {})", registry.start(), config.registryRoot());
        } catch (java.io.IOException e) {
            throw new StartupException("cannot serve the registry on " + a + ": " + e.getMessage());
        }
    }

    private void writePidFile() throws StartupException {
        Path pid = config.pidFile();
        try {
            if (Files.exists(pid)) {
                String text = Files.readString(pid).trim();
                Optional<ProcessHandle> other = Optional.empty();
                try {
                    long p = Long.parseLong(text);
                    if (p != ProcessHandle.current().pid()) other = ProcessHandle.of(p).filter(ProcessHandle::isAlive);
                } catch (NumberFormatException ignored) {
                    // garbage in a pid file: stale
                }
                if (other.isPresent()) {
                    throw new StartupException("pid file found, ensure berthd is not running or delete " + pid);
                }
            }
            Files.createDirectories(pid.toAbsolutePath().getParent());
            Files.writeString(pid, Long.toString(ProcessHandle.current().pid()));
            pidWritten = true;
        } catch (IOException e) {
            throw new StartupException("cannot write pid file " + pid + ": " + e.getMessage());
        }
    }

    /** Stops accepting, closes the listeners, removes the sockets and the pidfile, closes the engine. */
    @Override public void close() { close(true); }

    private synchronized void close(boolean logIt) {
        if (closed) return;
        closed = true;
        Logger log = LoggerFactory.getLogger(Berthd.class);
        if (logIt) log.info("shutting down");
        server.close();
        if (registry != null) registry.close();
        if (metrics != null) metrics.close();
        for (Path s : socketFiles) {
            try {
                Files.deleteIfExists(s);
            } catch (IOException e) {
                log.warn("cannot remove socket {}: {}", s, e.getMessage());
            }
        }
        if (pidWritten) {
            try {
                Files.deleteIfExists(config.pidFile());
            } catch (IOException e) {
                log.warn("cannot remove pid file {}: {}", config.pidFile(), e.getMessage());
            }
        }
        try {
            if (engine != null) engine.close();
        } catch (Exception e) {
            log.warn("closing the engine: {}", e.toString());
        }
        if (logIt) log.info("berthd stopped");
    }

    /** Makes SIGTERM/SIGINT exit 0 (the JVM's default is 128+signal) after the shutdown hook ran. */
    @SuppressWarnings("removal")
    private static void exitZeroOn(String signal) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> System.exit(0));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the shutdown hook still cleans up; only the exit status differs
        }
    }

    /**
     * Keeps SIGHUP from ending the daemon (the JVM's default). dockerd takes it as "reload the configuration"; Berth
     * does not reload, but must live through it: a daemon that is a session leader without a terminal (started by
     * systemd or setsid) gets the first pty it opens for {@code exec -t} as its controlling terminal (the JDK opens a
     * redirect's file without {@code O_NOCTTY}), and the hang-up when that pty closes would otherwise stop it.
     */
    @SuppressWarnings("removal")
    private static void ignoreHangUp() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> LoggerFactory.getLogger(Berthd.class)
                    .info("SIGHUP received: berthd does not reload its configuration on it; ignored"));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no signal handling here: the default stays
        }
    }

    /**
     * slf4j-simple reads its configuration once, so this runs before the first logger exists. Naming the provider
     * spares slf4j its {@code ServiceLoader} scan of every jar on the class path at the first logger (and slf4j's own
     * note that it did so, an INFO line on stderr, is kept quiet).
     */
    static void configureLogging(String level) {
        setDefault("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
        setDefault("slf4j.internal.verbosity", "WARN");
        String simple = switch (level) {
            case "fatal", "panic" -> "error";
            default -> level;
        };
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", simple);
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    private static void fail(String message) {
        System.err.println("berthd: " + message);
        System.exit(1);
    }
}
