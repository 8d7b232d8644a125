package io.berth.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.DetachKeys;
import io.berth.api.Json;
import io.berth.api.exec.ExecConfig;
import io.berth.api.exec.ExecInspect;
import io.berth.engine.service.ExecService;
import io.berth.engine.service.ProcessStdio;
import io.berth.api.errors.BerthException;
import io.berth.engine.events.EventBus;
import io.berth.engine.runtime.OciCommands;
import io.berth.engine.runtime.RuntimeErrors;
import io.berth.engine.runtime.spec.Capabilities;
import io.berth.engine.runtime.spec.OciProcess;
import io.berth.engine.runtime.spec.UserResolver;
import io.berth.engine.sys.ConsoleSocket;
import io.berth.engine.sys.Pty;
import io.berth.engine.sys.Unix;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec instances: processes run in a running container by the OCI runtime itself
 * ({@code runc exec --process}), a child of berthd, with stdio on pipes or, for a tty, on the process's own
 * terminal: a runtime that takes a console socket in the foreground (crun) sends its master to berthd, which reads
 * and writes it itself; runc relays it to a pty of berthd's given as its stdio. Records live in memory and are
 * dropped when their container stops, as dockerd does.
 *
 * <p>runc relays a non-tty process's stdio through pipes of its own and exits only once they
 * reach end of file, which a background child that inherited them (say {@code sh -c 'sleep 100 &
 * echo hi'}) delays as long as it lives. As dockerd, Berth stops waiting for the output
 * {@link #OUTPUT_GRACE} after the exec'd process itself exits, seen in the kernel's process events
 * ({@link RuntimeChildExits}), and ends the exec with that process's exit code.
 */
public final class ExecManager implements ExecService {
    private static final Logger LOG = LoggerFactory.getLogger(ExecManager.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_EXECS_PER_CONTAINER = 1024;
    private static final int SIGWINCH = 28;
    /** How long the output may stay open after the exec'd process exited (dockerd's exec stdio wait). */
    static final long OUTPUT_GRACE = TimeUnit.SECONDS.toNanos(2);

    /** One exec instance; mutable fields are guarded by the instance. */
    static final class Exec {
        final String id;
        final String containerId;
        final ExecConfig config;
        final String entrypoint;
        final List<String> args;
        final String user;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        boolean started;
        volatile boolean running;
        volatile Integer exitCode;
        volatile int pid;
        volatile String startError;
        volatile int ptyFd = -1;
        /** Whether {@link #ptyFd} is a terminal the runtime relays (copying its size on SIGWINCH), not the process's own. */
        volatile boolean runtimeRelays;
        volatile long runtimePid;
        Path dir;
        /** The runtime's children that exited, by pid: one of them is the exec'd process. */
        final Map<Integer, RuntimeChildExits.Exit> childExits = new ConcurrentHashMap<>();
        /** Set once by whichever ends the exec: the runtime's exit, or the exec'd process's exit plus the grace. */
        final AtomicBoolean finished = new AtomicBoolean();
        /** How long the output may stay open after the process exited: none when nobody reads it. */
        volatile long graceNanos = OUTPUT_GRACE;
        /** Completed when the exec ended before its output did: the session stops copying. */
        final CompletableFuture<Void> outputAbandoned = new CompletableFuture<>();

        Exec(String id, String containerId, ExecConfig config, String user) {
            this.id = id;
            this.containerId = containerId;
            this.config = config;
            this.entrypoint = config.cmd().getFirst();
            this.args = List.copyOf(config.cmd().subList(1, config.cmd().size()));
            this.user = user;
        }

        String commandLine() { return entrypoint + " " + String.join(" ", args); }
    }

    private final ContainerStore store;
    private final ContainerRootfs rootfs;
    private final ContainerLifecycle lifecycle;
    private final EventBus events;
    private final OciCommands runc;
    private final Path execDir;
    private final Supplier<RuntimeChildExits> childExits;
    private final Map<String, Exec> execs = new ConcurrentHashMap<>();

    /** @param execDir a short directory for exec sessions' files  */
    public ExecManager(ContainerStore store, ContainerRootfs rootfs, ContainerLifecycle lifecycle, EventBus events, OciCommands runc,
                       Path execDir) {
        this(store, rootfs, lifecycle, events, runc, execDir, RuntimeChildExits::shared);
    }

    /** Subscribes to the host's process events now, so that the first exec does not (after the daemon's start). */
    public void prepare() {
        childExits.get();
    }

    /**
     * @param childExits the exits of runc's children (null: wait for runc alone), asked for at each exec's start: the
     *                   host's process events are subscribed to at the first exec, not at daemon start
     */
    ExecManager(ContainerStore store, ContainerRootfs rootfs, ContainerLifecycle lifecycle, EventBus events, OciCommands runc,
                Path execDir, Supplier<RuntimeChildExits> childExits) {
        this.childExits = childExits;
        this.store = store;
        this.rootfs = rootfs;
        this.lifecycle = lifecycle;
        this.events = events;
        this.runc = runc;
        this.execDir = execDir;
    }

    // ---- create ----

    @Override public String create(String containerRef, ExecConfig config) {
        Container c = store.require(containerRef);
        checkRunning(c);
        if (config == null || config.cmd() == null || config.cmd().isEmpty()) {
            throw new BerthException.InvalidArgument("No exec command specified");
        }
        DetachKeys.parse(config.detachKeys()); // validates
        long count = execs.values().stream().filter(e -> e.containerId.equals(c.id())).count();
        if (count >= MAX_EXECS_PER_CONTAINER) dropFinished(c.id());
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        String user = config.user() == null || config.user().isEmpty() ? (c.config().user() == null ? "" : c.config().user()) : config.user();
        Exec e = new Exec(id, c.id(), config, user);
        execs.put(id, e);
        lifecycle.await(c.id(), "not-running").whenComplete((r, err) -> dropAll(c.id()));
        Map<String, String> attrs = LocalContainerService.attributes(c);
        attrs.put("execID", id);
        events.publish("container", "exec_create: " + e.commandLine(), c.id(), attrs);
        return id;
    }

    private static void checkRunning(Container c) {
        ContainerStatus s = c.state().status();
        if (s == ContainerStatus.PAUSED) {
            throw new BerthException.Conflict("Container " + c.id() + " is paused, unpause the container before exec");
        }
        if (s == ContainerStatus.RESTARTING) {
            throw new BerthException.Conflict("Container " + c.id() + " is restarting, wait until the container is running");
        }
        if (!s.isRunning()) throw new BerthException.Conflict("container " + c.id() + " is not running");
    }

    private void dropAll(String containerId) {
        execs.values().removeIf(e -> e.containerId.equals(containerId));
    }

    private void dropFinished(String containerId) {
        execs.values().removeIf(e -> e.containerId.equals(containerId) && e.started && !e.running);
    }

    private Exec require(String execId) {
        Exec e = execId == null ? null : execs.get(execId);
        if (e == null) throw new BerthException.NotFound("No such exec instance: " + execId);
        return e;
    }

    // ---- inspect, resize ----

    @Override public ExecInspect inspect(String execId) {
        Exec e = require(execId);
        int pid = e.pid;
        if (pid == 0 && e.running) pid = readPid(e);
        return new ExecInspect(e.id, e.running, e.exitCode,
                new ExecInspect.ProcessConfig(e.config.wantsTty(), e.entrypoint, e.args, e.config.wantsPrivileged(), e.user),
                e.config.stdin(), e.config.stderr(), e.config.stdout(), !e.running && e.started, e.containerId,
                e.config.detachKeys() == null ? "" : e.config.detachKeys(), pid);
    }

    @Override public void resize(String execId, int height, int width) { resize(require(execId), height, width); }

    static void resize(Exec e, int height, int width) {
        int fd = e.ptyFd;
        if (!e.config.wantsTty() || fd < 0 || !e.running) return;
        try {
            Pty.resize(fd, height, width);
            if (e.runtimeRelays && e.runtimePid > 0) Unix.get().kill((int) e.runtimePid, SIGWINCH);
        } catch (IOException ex) {
            throw new BerthException.SystemError("resizing exec " + e.id + ": " + ex.getMessage(), ex);
        }
    }

    private static int readPid(Exec e) {
        if (e.dir == null) return 0;
        try {
            String s = Files.readString(e.dir.resolve("pid")).strip();
            int pid = s.isEmpty() ? 0 : Integer.parseInt(s);
            if (pid > 0) e.pid = pid;
            return pid;
        } catch (IOException | NumberFormatException ex) {
            return 0;
        }
    }

    // ---- start ----

    @Override public ProcessStdio start(String execId, boolean detach, List<Integer> consoleSize) {
        Exec e = require(execId);
        synchronized (e) {
            if (e.running) throw new BerthException.Conflict("Error: Exec command " + execId + " is already running");
            if (e.started) throw new BerthException.Conflict("Error: Exec command " + execId + " has already run");
            Container c = store.require(e.containerId);
            checkRunning(c);
            e.started = true;
            e.running = true;
            try {
                return launch(c, e, detach, consoleSize);
            } catch (RuntimeException ex) {
                e.running = false;
                if (e.exitCode == null) e.exitCode = 126;
                e.exit.complete(e.exitCode);
                cleanup(e);
                throw ex;
            }
        }
    }

    private ExecSession launch(Container c, Exec e, boolean detach, List<Integer> startSize) {
        ExecConfig cfg = e.config;
        boolean tty = cfg.wantsTty();
        List<Integer> size = startSize != null && startSize.size() == 2 && startSize.get(0) > 0 ? startSize : cfg.consoleSize();
        Path dir = execDir.resolve(e.id.substring(0, 16));
        e.dir = dir;
        Path log = dir.resolve("runc.log");
        Pty pty = null;
        ConsoleSocket console = null;
        OutputPipe outPipe = null;
        OutputPipe errPipe = null;
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("process.json"), Json.plain().writeValueAsBytes(processSpec(c, e, size)));
            List<String> args = new ArrayList<>(List.of("--log", log.toString(), "exec", "--process",
                    dir.resolve("process.json").toString(), "--pid-file", dir.resolve("pid").toString()));
            File devNull = new File("/dev/null");
            boolean attached = !detach;
            ProcessBuilder pb = new ProcessBuilder();
            if (tty && runc.takesConsoleSocketInForeground(c.id())) {
                // the runtime sends the process's pty master here and relays nothing: berthd reads it itself, so no
                // output is lost when a runtime stops relaying at the process's exit (crun 1.8 does)
                console = ConsoleSocket.listen(dir.resolve("tty.sock"));
                args.addAll(List.of("--console-socket", console.path().toString()));
                pb.redirectInput(ProcessBuilder.Redirect.from(devNull));
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            } else if (tty) {
                // runc (not detached) makes the process's pty itself and relays it to its own stdio,
                // which must be a terminal: ours, whose size it copies on SIGWINCH
                pty = Pty.open();
                if (size != null && size.size() == 2 && size.get(0) > 0) Pty.resize(pty.master(), size.get(0), size.get(1));
                File slave = pty.slave().toFile();
                pb.redirectInput(ProcessBuilder.Redirect.from(slave));
                pb.redirectOutput(ProcessBuilder.Redirect.appendTo(slave));
                pb.redirectError(ProcessBuilder.Redirect.appendTo(slave));
                e.runtimeRelays = true;
            } else {
                pb.redirectInput(attached && cfg.stdin() ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(devNull));
                if (attached && cfg.stdout()) {
                    outPipe = OutputPipe.open();
                    pb.redirectOutput(outPipe.redirect());
                } else {
                    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                }
                if (attached && cfg.stderr()) {
                    errPipe = OutputPipe.open();
                    pb.redirectError(errPipe.redirect());
                } else {
                    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
                }
            }
            args.add(c.id());
            pb.command(runc.command(c.id(), args));
            Map<String, String> attrs = LocalContainerService.attributes(c);
            attrs.put("execID", e.id);
            events.publish("container", "exec_start: " + e.commandLine(), c.id(), attrs);
            RuntimeChildExits exits = childExits.get(); // subscribed before runc starts: no exit of its children is missed
            Process proc;
            try {
                proc = pb.start();
            } finally {
                if (outPipe != null) outPipe.closeWriteEnd(); // the runtime has its own now: end of file comes when it and
                if (errPipe != null) errPipe.closeWriteEnd(); // whatever it handed the output to are done with it
            }
            e.runtimePid = proc.pid();
            if (detach) e.graceNanos = 0;
            if (!tty && exits != null) exits.watch((int) proc.pid(), x -> childExited(c, e, x));
            if (pty != null) e.ptyFd = pty.master();
            ConsoleSocket cs = console;
            proc.onExit().whenComplete((p, err) -> {
                try {
                    if (cs != null) cs.abandon(); // gone without connecting: stop waiting for the master
                } finally {
                    exited(c, e, p);
                }
            });
            if (cs != null) e.ptyFd = cs.receiveMaster(); // -1 when the runtime failed first: it left its error
            if (detach) {
                awaitStarted(e, proc);
                if (e.ptyFd >= 0) drainPty(e);
                if (e.startError != null) throw new BerthException.SystemError(e.startError, null);
                return new ExecSession(e.id, tty, null, null, null, e.exit, e, () -> { });
            }
            if (tty) {
                int fd = e.ptyFd;
                AtomicBoolean closed = new AtomicBoolean();
                InputStream out = fd < 0 ? InputStream.nullInputStream() : new PtyInput(fd);
                OutputStream in = fd < 0 || !cfg.stdin() ? null : new PtyOutput(fd);
                return new ExecSession(e.id, true, out, null, in, e.exit, e, () -> {
                    if (fd >= 0 && closed.compareAndSet(false, true)) {
                        e.ptyFd = -1;
                        Unix.get().close(fd);
                    }
                });
            }
            InputStream out = outPipe == null ? null : outPipe.readEnd();
            InputStream err = errPipe == null ? null : errPipe.readEnd();
            outPipe = errPipe = null; // the session's now
            OutputStream in = cfg.stdin() ? proc.getOutputStream() : null;
            return new ExecSession(e.id, false, out, err, in, e.exit, e, () -> {
                try {
                    if (out != null) out.close();
                    if (err != null) err.close();
                    if (in != null) in.close();
                } catch (IOException ignored) {
                    // the process is gone
                }
            });
        } catch (IOException ex) {
            if (pty != null && e.ptyFd < 0) Unix.get().close(pty.master());
            throw new BerthException.SystemError("exec in " + c.id() + ": " + ex.getMessage(), ex);
        } finally {
            closeQuietly(console);
            if (outPipe != null) outPipe.close();
            if (errPipe != null) errPipe.close();
        }
    }

    private static void closeQuietly(ConsoleSocket console) {
        if (console == null) return;
        try {
            console.close();
        } catch (IOException ex) {
            LOG.warn("removing console socket {}: {}", console.path(), ex.getMessage());
        }
    }

    /**
     * Waits until the runtime wrote the process's pid (it runs) or ended (it failed or was quick): the pid file's arrival
     * ({@link FileArrivals}) or the runtime's exit, whichever comes first, at most 30 s.
     */
    private static void awaitStarted(Exec e, Process proc) {
        try {
            CompletableFuture<Void> started = FileArrivals.shared().await(e.dir, () -> readPid(e) > 0);
            try {
                CompletableFuture.anyOf(started, proc.onExit()).get(30, TimeUnit.SECONDS);
            } finally {
                started.cancel(false);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return;
        } catch (IOException | ExecutionException | TimeoutException ex) {
            LOG.warn("waiting for exec {} to start: {}", e.id, ex.toString());
        }
        if (readPid(e) > 0) return;
        if (!proc.isAlive()) e.exit.handle((x, y) -> null).join(); // the exit handler has recorded the outcome
    }

    /** A detached tty exec: nobody reads its terminal, so discard what it writes. */
    private static void drainPty(Exec e) {
        int fd = e.ptyFd;
        Thread.ofPlatform().daemon().name("exec-drain-" + e.id.substring(0, 12)).start(() -> {
            try (InputStream in = new PtyInput(fd)) {
                byte[] buf = new byte[4096];
                while (in.read(buf) > 0) {
                    // discard
                }
            } catch (IOException ignored) {
                // hung up
            } finally {
                e.ptyFd = -1;
                Unix.get().close(fd);
            }
        });
    }

    /** A child of the exec's runc exited: if it is the exec'd process, end the exec once the grace has passed. */
    private void childExited(Container c, Exec e, RuntimeChildExits.Exit x) {
        e.childExits.put(x.pid(), x);
        CompletableFuture.delayedExecutor(e.graceNanos, TimeUnit.NANOSECONDS).execute(() -> graceOver(c, e, true));
    }

    /** @param again whether to look once more later if runc has not yet written the process's pid */
    private void graceOver(Container c, Exec e, boolean again) {
        if (e.finished.get()) return;
        int pid = e.pid != 0 ? e.pid : readPid(e);
        if (pid == 0 && again && e.graceNanos < OUTPUT_GRACE) { // a quick process may exit before runc writes its pid
            CompletableFuture.delayedExecutor(OUTPUT_GRACE, TimeUnit.NANOSECONDS).execute(() -> graceOver(c, e, false));
            return;
        }
        RuntimeChildExits.Exit x = pid == 0 ? null : e.childExits.get(pid);
        if (x == null) return; // not the exec'd process: its own exit schedules another look
        long left = x.nanos() + e.graceNanos - System.nanoTime();
        if (left > 0) {
            CompletableFuture.delayedExecutor(left, TimeUnit.NANOSECONDS).execute(() -> graceOver(c, e, false));
            return;
        }
        if (!e.finished.compareAndSet(false, true)) return;
        LOG.debug("exec {} in {}: its process exited with {}, its output is still open after the grace: ending it", e.id, c.id(), x.exitCode());
        ended(c, e, x.exitCode());
        e.outputAbandoned.complete(null);
        e.exit.complete(x.exitCode());
    }

    private void ended(Container c, Exec e, int code) {
        e.exitCode = code;
        e.running = false;
        Map<String, String> attrs = LocalContainerService.attributes(c);
        attrs.put("execID", e.id);
        attrs.put("exitCode", Integer.toString(code));
        events.publish("container", "exec_die", c.id(), attrs);
    }

    private void exited(Container c, Exec e, Process p) {
        RuntimeChildExits exits = childExits.get();
        if (exits != null) exits.unwatch((int) e.runtimePid);
        if (!e.finished.compareAndSet(false, true)) { // ended at its process's exit, its output abandoned
            cleanup(e);
            return;
        }
        int code = p == null ? 255 : p.exitValue();
        String error = null;
        if (code == 255 && e.dir != null) {
            try {
                String msg = runc.errorMessage(Files.readAllBytes(e.dir.resolve("runc.log")));
                if (!msg.isBlank()) error = msg;
            } catch (IOException ignored) {
                // no log: the process itself exited 255
            }
        }
        if (e.pid == 0) readPid(e);
        if (error != null) {
            int mapped = RuntimeErrors.exitCodeFor(error);
            code = mapped == 128 ? 126 : mapped;
            e.startError = "OCI runtime exec failed: " + error + ": unknown";
        }
        if (error == null) {
            ended(c, e, code);
        } else {
            e.exitCode = code;
            e.running = false;
        }
        LOG.debug("exec {} in {} exited with {}", e.id, c.id(), code);
        cleanup(e);
        e.exit.complete(code);
        // the runtime is gone: what still holds the output is a background child of the exec'd process (crun hands
        // the output to the process as it is, runc relays it until end of file); Docker ends the exec after the grace
        CompletableFuture.delayedExecutor(e.graceNanos, TimeUnit.NANOSECONDS).execute(() -> e.outputAbandoned.complete(null));
    }

    private static void cleanup(Exec e) {
        Path dir = e.dir;
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (IOException ex) {
            LOG.warn("cleaning up exec {}: {}", e.id, ex.getMessage());
        }
    }

    // ---- the process spec ----

    /** The container's process from its bundle, with the exec's args, env, cwd, user, tty and capabilities. */
    private ObjectNode processSpec(Container c, Exec e, List<Integer> size) throws IOException {
        JsonNode bundleSpec = Json.plain().readTree(rootfs.bundle(c.id()).resolve("config.json").toFile());
        OciProcess p = OciProcess.copyOf(bundleSpec.path("process"));
        ExecConfig cfg = e.config;
        p.args(cfg.cmd());
        Map<String, String> env = new LinkedHashMap<>();
        OciProcess.defaultEnv(c.config().hostname(), cfg.wantsTty()).forEach(x -> putEnv(env, x));
        if (c.config().env() != null) c.config().env().forEach(x -> putEnv(env, x));
        if (cfg.env() != null) cfg.env().forEach(x -> putEnv(env, x));
        p.env(List.copyOf(env.values()));
        if (cfg.workingDir() != null && !cfg.workingDir().isEmpty()) p.cwd(cfg.workingDir());
        if (cfg.user() != null && !cfg.user().isEmpty()) {
            p.user(UserResolver.resolve(rootfs.target(c.id()), cfg.user(), c.hostConfig().groupAdd()));
        }
        p.terminal(cfg.wantsTty());
        boolean sized = cfg.wantsTty() && size != null && size.size() == 2 && size.get(0) > 0 && size.get(1) > 0;
        p.consoleSize(sized ? size : null);
        if (cfg.wantsPrivileged()) p.capabilities(allCapabilities());
        return p.node();
    }

    private static void putEnv(Map<String, String> env, String kv) {
        int eq = kv.indexOf('=');
        env.put(eq < 0 ? kv : kv.substring(0, eq), kv);
    }

    private static List<String> allCapabilities() {
        int last = Capabilities.ALL_KNOWN.size() - 1;
        try {
            last = Math.min(last, Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).strip()));
        } catch (IOException | NumberFormatException ignored) {
            // assume the kernel knows them all
        }
        return Capabilities.ALL_KNOWN.subList(0, last + 1);
    }

    // ---- pty streams ----

    /** Reads a pty master; the hang-up (EIO) after the process ended is end of file. */
    private static final class PtyInput extends InputStream {
        private final int fd;

        PtyInput(int fd) { this.fd = fd; }

        @Override public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) <= 0 ? -1 : b[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = Unix.get().read(fd, b, off, len);
                return n == 0 ? -1 : n;
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().contains("Input/output error")) return -1;
                throw e;
            }
        }
    }

    /**
     * A pipe of berthd's own for an exec's stdout or stderr, instead of the {@link Process}'s: the JDK's process reaper,
     * when the runtime exits, drains what a {@code Process} stream holds and closes it unless a read is under way on
     * it. The exec's output would then end at the runtime's exit, while a background child of the exec'd process still
     * writes to it, whenever the copying thread had not yet begun its first read (the first exec of a fresh daemon, in
     * a test: 0.1 s where Docker waits 2). The runtime gets the write end through {@code /proc/self/fd}; berthd reads
     * its own reopened read end, which only end of file (or the session's close) ends.
     */
    private static final class OutputPipe {
        private final FileInputStream readEnd;
        private final int writeEnd;
        private final AtomicBoolean writeClosed = new AtomicBoolean();

        private OutputPipe(FileInputStream readEnd, int writeEnd) {
            this.readEnd = readEnd;
            this.writeEnd = writeEnd;
        }

        static OutputPipe open() throws IOException {
            int[] fds = Unix.get().pipe();
            try {
                // reopened while this process holds the write end, so the open does not wait for a writer
                return new OutputPipe(new FileInputStream("/proc/self/fd/" + fds[0]), fds[1]);
            } catch (IOException ex) {
                Unix.get().close(fds[1]);
                throw ex;
            } finally {
                Unix.get().close(fds[0]);
            }
        }

        FileInputStream readEnd() {
            return readEnd;
        }

        ProcessBuilder.Redirect redirect() {
            return ProcessBuilder.Redirect.appendTo(new File("/proc/self/fd/" + writeEnd));
        }

        void closeWriteEnd() {
            if (writeClosed.compareAndSet(false, true)) Unix.get().close(writeEnd);
        }

        /** Both ends, when the exec failed before a session took the read end. */
        void close() {
            closeWriteEnd();
            try {
                readEnd.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }
    }

    private static final class PtyOutput extends OutputStream {
        private final int fd;

        PtyOutput(int fd) { this.fd = fd; }

        @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override public void write(byte[] b, int off, int len) throws IOException { Unix.get().write(fd, b, off, len); }
    }
}
