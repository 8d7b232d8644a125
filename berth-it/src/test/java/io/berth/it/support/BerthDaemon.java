package io.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A real berthd process on private roots ({@code <tmp>/data}, {@code <tmp>/exec}, socket {@code <tmp>/exec/berth.sock}).
 *
 * <p>Use it as a per-class JUnit extension ({@code @RegisterExtension static final BerthDaemon daemon = BerthDaemon.builder().build();})
 * or as a closeable fixture ({@code try (var d = BerthDaemon.builder().build()) { d.start(); … }}).
 * {@link #close()} sends SIGTERM, waits, and then checks that nothing leaked: the process is gone, the socket file is
 * removed, nothing is mounted under the data or exec root, no conmon whose command line names the exec root is alive,
 * no cgroup directory {@code /sys/fs/cgroup/<controller>/berth/<id>} of its containers is left. Containers outlive
 * berthd (live restore), so {@link #stop()} first removes every container through the API. Then it deletes both roots. The daemon's log goes to a file
 * whose tail is printed when a test fails.
 */
public final class BerthDaemon implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler, AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMillis(Long.getLong("berth.it.readyTimeoutMs", 5000));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path base;
    private final Path dataRoot;
    private final Path execRoot;
    private final Path log;
    private final Path dockerConfig;
    private final List<String> jvmArgs;
    private final List<String> daemonArgs;
    private final boolean ownsDataRoot;
    private final boolean sessionLeader;
    private Process process;
    private boolean stopped;

    /** Options for a daemon. */
    public static final class Builder {
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> daemonArgs = new ArrayList<>();
        private Path dataRoot;
        private boolean longRoots;
        private boolean sessionLeader;

        /**
         * Put the roots under a long directory, {@code /tmp/berth-it-long-roots-<19 digits>}: the API socket fits in
         * {@code sun_path}'s 108 bytes, a socket at {@code <exec-root>/runtime/<64-hex id>/attach} does not; by default the roots are short, {@code /tmp/bit-<8 hex>}, like a real
         * {@code /run/berth}.
         */
        public Builder longRoots() {
            this.longRoots = true;
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        public Builder arg(String... args) {
            daemonArgs.addAll(List.of(args));
            return this;
        }

        /**
         * Start it as the leader of a session of its own with no controlling terminal ({@code setsid}, which execs
         * without forking here: the process is still the daemon), as systemd starts services.
         */
        public Builder sessionLeader() {
            this.sessionLeader = true;
            return this;
        }

        /** Share another daemon's data root (it is then not deleted by this one). */
        public Builder dataRoot(Path dataRoot) {
            this.dataRoot = dataRoot;
            return this;
        }

        public BerthDaemon build() {
            return new BerthDaemon(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private BerthDaemon(Builder b) {
        base = b.longRoots ? longBase() : shortBase();
        ownsDataRoot = b.dataRoot == null;
        dataRoot = ownsDataRoot ? base.resolve("data") : b.dataRoot;
        execRoot = base.resolve("exec");
        log = base.resolve("berthd.log");
        dockerConfig = base.resolve("docker-config");
        jvmArgs = List.copyOf(b.jvmArgs);
        daemonArgs = List.copyOf(b.daemonArgs);
        sessionLeader = b.sessionLeader;
    }

    private static Path shortBase() {
        for (int i = 0; ; i++) {
            Path p = Path.of("/tmp", "bit-" + java.util.HexFormat.of().toHexDigits(java.util.concurrent.ThreadLocalRandom.current().nextInt()));
            try {
                return Files.createDirectory(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (i > 100) throw new UncheckedIOException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Roots whose API socket still fits in sun_path, but whose containers' conmon attach sockets would not. */
    private static Path longBase() {
        try {
            return Files.createTempDirectory("berth-it-long-roots-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dataRoot() { return dataRoot; }
    public Path execRoot() { return execRoot; }
    public Path socket() { return execRoot.resolve("berth.sock"); }
    public Path pidFile() { return execRoot.resolve("berthd.pid"); }
    public Path logFile() { return log; }
    /** A scratch directory private to this daemon's test, deleted with it. */
    public Path scratch() {
        Path p = base.resolve("scratch");
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
    public String host() { return "unix://" + socket(); }
    /** The docker and berth CLIs' config directory ({@code DOCKER_CONFIG}): {@code config.json} with the logins. */
    public Path dockerConfig() { return dockerConfig; }
    public Process process() { return process; }
    public DockerCli docker() { return DockerCli.docker(host(), dockerConfig); }
    public DockerCli berth() { return DockerCli.berth(host(), dockerConfig); }
    public Http http() { return new Http(socket()); }

    /** The command line that starts this daemon. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        if (sessionLeader) cmd.add("setsid");
        cmd.add(Project.javaBin().toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Dberth.runtimeNs=" + Project.runtimeLauncher()); // as bin/berthd: crun's launcher on a hybrid cgroup host
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", Project.classPath(), "io.berth.server.Berthd",
                "--data-root", dataRoot.toString(), "--exec-root", execRoot.toString(),
                "-H", host(), "--pidfile", pidFile().toString(), "--log-level", "debug"));
        cmd.addAll(daemonArgs);
        String runtime = defaultRuntime();
        if (runtime != null && daemonArgs.stream().noneMatch(a -> a.startsWith("--default-runtime") || a.startsWith("--config-file"))) {
            cmd.addAll(List.of("--default-runtime", runtime));
        }
        return cmd;
    }

    /**
     * The default runtime the suite runs its daemons with: system property {@code berth.it.runtime} or
     * environment variable {@code BERTH_IT_RUNTIME} ({@code runc} or {@code crun}); unset, berthd's own
     * default (crun where installed). A test that passes {@code --default-runtime} or a config file keeps its own.
     */
    public static String defaultRuntime() {
        String r = System.getProperty("berth.it.runtime", System.getenv("BERTH_IT_RUNTIME"));
        return r == null || r.isBlank() ? null : r.strip();
    }

    /** Starts the process without waiting for it to answer. */
    public BerthDaemon launch() {
        if (!Project.isRoot()) {
            throw new AssertionError("Berth's integration tests need root (overlay mounts, namespaces): run them as root, e.g. `sudo bin/test`");
        }
        if (process != null) {
            throw new IllegalStateException("already launched");
        }
        try {
            Files.createDirectories(dockerConfig);
            ProcessBuilder pb = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start berthd", e);
        }
        return this;
    }

    /** Starts the daemon and waits (at most a few seconds, polling briefly) until {@code /_ping} answers. */
    public BerthDaemon start() {
        launch();
        awaitReady();
        return this;
    }

    /** Polls {@code /_ping} every 10 ms until it answers 200, the process dies, or the ready timeout passes. */
    public void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Http http = http();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("berthd exited with " + process.exitValue() + " before answering /_ping\n" + logTail(200));
            }
            if (Files.exists(socket()) && http.ping()) {
                return;
            }
            try {
                process.waitFor(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("berthd did not answer /_ping on " + socket() + " within " + READY_TIMEOUT + "\n" + logTail(200));
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("berthd still running after " + timeout + "\n" + logTail(100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Everything the daemon logged so far. */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logTail(int lines) {
        List<String> all = logText().lines().toList();
        List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
        return "---- berthd log " + log + " (last " + tail.size() + " of " + all.size() + " lines) ----\n"
                + String.join("\n", tail) + "\n---- end of berthd log ----";
    }

    /** SIGTERM and wait for exit (no leak check, roots kept). Returns the exit code. */
    public int terminate() {
        if (process == null) {
            return 0;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("berthd did not exit within " + STOP_TIMEOUT + " of SIGTERM (killed)\n" + logTail(100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** SIGKILL the berthd process only (its conmons and containers live on) and wait for it; roots kept. */
    public void kill9() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("berthd " + process.pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Starts a new berthd process on the same roots after {@link #terminate()} or {@link #kill9()}. */
    public BerthDaemon restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("berthd " + process.pid() + " is still running");
        }
        process = null;
        return start();
    }

    /** Removes every container of this daemon ({@code DELETE /containers/<id>?force=1&v=1}); returns their IDs. */
    public List<String> removeAllContainers() {
        List<String> ids = new ArrayList<>();
        Http.Response list = http().get("/containers/json?all=1");
        if (list.status() != 200) {
            throw new AssertionError("GET /containers/json?all=1 answered " + list);
        }
        for (var c : list.json()) {
            String id = c.path("Id").asText();
            ids.add(id);
            Http.Response r = http().request("DELETE", "/containers/" + id + "?force=1&v=1", java.util.Map.of(), null);
            if (r.status() != 204 && r.status() != 404) {
                throw new AssertionError("DELETE /containers/" + id + "?force=1 answered " + r);
            }
        }
        return ids;
    }

    /** Container IDs this daemon ever knew of: its data root's containers/ entries and 64-hex IDs in its log. */
    private java.util.Set<String> knownContainerIds() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (Path dir : List.of(dataRoot.resolve("containers"), execRoot.resolve("containers"))) {
            if (Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}")).forEach(ids::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        var m = java.util.regex.Pattern.compile("(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])").matcher(logText());
        while (m.find()) {
            ids.add(m.group());
        }
        return ids;
    }

    /** Stops the daemon (SIGTERM), checks that nothing leaked, deletes its roots. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<String> problems = new ArrayList<>();
        // containers outlive berthd (live restore): remove them through the API first, so the checks below
        // see what the daemon's own removal leaves behind
        if (process != null && process.isAlive()) {
            try {
                removeAllContainers();
            } catch (RuntimeException | AssertionError e) {
                problems.add("removing the containers failed: " + e.getMessage());
            }
        }
        java.util.Set<String> ids = knownContainerIds();
        try {
            terminate();
        } catch (AssertionError e) {
            problems.add(e.getMessage());
        }
        ids.addAll(knownContainerIds());
        List<Containers.Proc> conmons = Containers.processes("conmon", execRoot.toString());
        if (!conmons.isEmpty()) {
            problems.add("conmon processes of this daemon still alive: " + conmons);
            String runcRoot = execRoot.resolve("runc").toString();
            String crunRoot = execRoot.resolve("runtimes").resolve("crun").toString();
            for (Containers.Proc p : conmons) {
                var m = java.util.regex.Pattern.compile(" -c ([0-9a-f]{64}) ").matcher(p.cmdline() + " ");
                if (m.find()) {
                    Cmd.of("runc", "--root", runcRoot, "delete", "-f", m.group(1)).run();
                    // crun refuses the hybrid cgroup layout unless the cgroup2 mount is out of its sight
                    Cmd.of("unshare", "-m", "--propagation", "slave", "sh", "-c",
                            "umount /sys/fs/cgroup/unified 2>/dev/null; crun --root " + crunRoot + " delete -f " + m.group(1)).run();
                }
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        for (String id : ids) {
            for (Path cg : Containers.hostCgroupDirs(id)) {
                problems.add("cgroup left: " + cg);
                try {
                    Files.deleteIfExists(cg); // rmdir; fails when processes are still in it
                } catch (IOException ignored) {
                    // reported above
                }
            }
        }
        if (process != null && process.isAlive()) {
            problems.add("berthd process " + process.pid() + " is still alive");
        }
        if (Files.exists(socket(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            problems.add("socket " + socket() + " was not removed");
        }
        // a data root shared with another (running) daemon is that daemon's to check
        List<String> mounts = ownsDataRoot ? Mounts.under(dataRoot) : new ArrayList<>();
        mounts.addAll(Mounts.under(execRoot));
        mounts.addAll(Mounts.under(base));
        if (!mounts.isEmpty()) {
            problems.add("left mounted: " + mounts);
            for (String m : mounts.reversed()) {
                Cmd.of("umount", "-l", m).run();
            }
        }
        try {
            if (ownsDataRoot) {
                deleteTree(dataRoot);
            }
            deleteTree(base);
        } catch (IOException e) {
            problems.add("cannot delete " + base + ": " + e);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("berthd leak check failed:\n - " + String.join("\n - ", problems) + "\n" + logTail(100));
        }
    }

    @Override public void close() {
        stop();
    }

    @Override public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        System.err.println("[berth-it] " + context.getDisplayName() + " failed; berthd log follows");
        System.err.println(logTail(150));
        throw throwable;
    }

    /** Deletes a tree without following symbolic links or crossing into mounts. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
