package io.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.errors.BerthException;
import io.berth.engine.content.AtomicFiles;
import io.berth.engine.sys.Unix;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The runtime driver: each container runs under its own conmon (its parent, in its own session,
 * so containers outlive berthd), which runs {@code runc create}, holds the container's stdio,
 * writes its log and exit file and serves its attach socket. berthd talks to runc directly for
 * start, signals, pause, state and delete.
 *
 * <p>Each container keeps the runtime it was created with ({@link CreateOptions#runtime()}, one of
 * {@link Runtimes}; its name is stored beside its pid files), so a change of the default runtime
 * between daemon starts never sends a container's commands to another runtime. Each runtime has
 * its own state directory: {@code <stateRoot>/runc} for runc (where earlier berthds kept it),
 * {@code <stateRoot>/runtimes/<name>} for the others. crun runs behind {@code crunLauncher}
 * ({@code berth-runtime-ns} on a hybrid cgroup host, which it refuses otherwise).
 *
 * <p>Hot path ({@code create → start → exit → delete}): one {@code posix_spawn} of conmon (which
 * forks runc create), one {@code runc start}, the exit seen through inotify, one
 * {@code runc delete}. Nothing sleeps or polls.
 *
 * <p>Thread-safe. One instance per (runtime root, exec root).
 */
public final class ConmonRuntime implements OciRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param conmon         the conmon binary
     * @param runtimes       the OCI runtimes containers may use, and the default
     * @param stateRoot      where the runtimes' state directories ({@code --root}) are
     * @param execRoot       where the driver keeps pid files and exit files
     * @param crunLauncher   what crun runs behind ({@link RuntimeLauncher#forCrun()}); the other runtimes run as they are
     * @param mountDirs      where each container's own mounts are, for the launcher to leave out of other creates
     */
    public record Config(Path conmon, Runtimes runtimes, Path stateRoot, Path execRoot, RuntimeLauncher crunLauncher,
                         ContainerMountDirs mountDirs) {
    }

    private final Config config;
    private final Map<String, Runc> runtimes = new LinkedHashMap<>();
    private final Map<String, Runc> runtimeOf = new ConcurrentHashMap<>();
    /** Per crun runtime: the seccomp programs it compiled, given back to it. */
    private final Map<String, CrunSeccompFilters> seccompFilters = new LinkedHashMap<>();
    private final Unix unix = Unix.get();
    private final Path containersDir;
    private final ExitWatcher exits;
    private final Map<String, Path> bundles = new ConcurrentHashMap<>();
    private final Map<String, Integer> pids = new ConcurrentHashMap<>();

    public ConmonRuntime(Config config) throws IOException {
        this.config = config;
        for (ConfiguredRuntime r : config.runtimes().byName().values()) {
            Path root = r.name().equals(Runtimes.RUNC) ? config.stateRoot().resolve("runc")
                    : config.stateRoot().resolve("runtimes").resolve(r.name());
            Files.createDirectories(root);
            runtimes.put(r.name(), new Runc(r.isCrun() ? config.crunLauncher() : RuntimeLauncher.DIRECT, r, root));
            if (r.isCrun()) seccompFilters.put(r.name(), new CrunSeccompFilters());
        }
        this.containersDir = config.execRoot().resolve("containers");
        Files.createDirectories(containersDir);
        this.exits = new ExitWatcher(config.execRoot().resolve("exits"),
                id -> Files.exists(containersDir.resolve(id).resolve("oom")));
    }

    private Path dirOf(String id) {
        return containersDir.resolve(id);
    }

    /** The runtime container {@code id} was created with (runc for a container of a berthd that stored none). */
    private Runc runcOf(String id) {
        Runc r = runtimeOf.get(id);
        if (r != null) return r;
        String name;
        try {
            name = Files.readString(dirOf(id).resolve("runtime")).strip();
        } catch (NoSuchFileException e) {
            bundleOf(id); // NotFound if unknown
            name = Runtimes.RUNC;
        } catch (IOException e) {
            throw new BerthException.SystemError("reading the runtime of " + id + ": " + e.getMessage(), e);
        }
        r = runtimes.get(name);
        if (r == null) throw new BerthException.InvalidArgument("Unknown runtime specified " + name);
        runtimeOf.put(id, r);
        return r;
    }

    /** The command lines of each container's runtime (exec, update). */
    public OciCommands commands() {
        return new RuncTool(this::runcOf);
    }

    private Path bundleOf(String id) {
        Path b = bundles.get(id);
        if (b != null) return b;
        try {
            b = Path.of(Files.readString(dirOf(id).resolve("bundle")).strip());
        } catch (NoSuchFileException e) {
            throw new BerthException.NotFound("no such container: " + id);
        } catch (IOException e) {
            throw new BerthException.SystemError("reading the bundle of " + id + ": " + e.getMessage(), e);
        }
        bundles.put(id, b);
        return b;
    }

    /**
     * Creates a container from an OCI bundle under a new conmon; returns once {@code runc create}
     * is done (the container is created, not started). The attach socket is ready then.
     */
    @Override
    public ContainerProcess create(String id, Path bundle, ObjectNode spec, CreateOptions opts) {
        validateId(id);
        Path dir = dirOf(id);
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new BerthException.Conflict("container " + id + " already exists in the runtime");
        } catch (IOException e) {
            throw new BerthException.SystemError("creating " + dir + ": " + e.getMessage(), e);
        }
        bundle = bundle.toAbsolutePath();
        try {
            String name = opts.runtime() == null || opts.runtime().isEmpty() ? config.runtimes().defaultName() : opts.runtime();
            Runc runc = runtimes.get(name);
            if (runc == null) throw new BerthException.InvalidArgument("Unknown runtime specified " + name);
            Files.writeString(dir.resolve("runtime"), name);
            Files.writeString(dir.resolve("bundle"), bundle.toString());
            CrunSeccompFilters filters = seccompFilters.get(name);
            String compiledHere = filters == null ? null : filters.apply(spec);
            // the bundle is runtime state, made again at each start (and under the exec root, /run: memory)
            AtomicFiles.replace(bundle.resolve("config.json"), io.berth.api.Json.plain().writeValueAsBytes(spec));
            List<String> runtimeArgv = runc.prefix(config.mountDirs().launcherArgs(spec, bundle));
            List<String> args = new ArrayList<>(List.of(config.conmon().toString(),
                    "--api-version", "1",
                    "-c", id, "-u", id, "-n", id,
                    "-r", runtimeArgv.getFirst(),
                    "-b", bundle.toString(),
                    "-p", dir.resolve("pid").toString(),
                    "-P", dir.resolve("conmon.pid").toString(),
                    "--persist-dir", dir.toString(),
                    "--exit-dir", exits.fileOf(id).getParent().toString(),
                    "--socket-dir-path", dir.toString(),
                    "--full-attach",
                    "--no-sync-log"));
            for (String a : runtimeArgv.subList(1, runtimeArgv.size())) {
                args.add("--runtime-arg");
                args.add(a);
            }
            args.add("--runtime-arg");
            args.add("--log=" + dir.resolve("runtime.log"));
            switch (opts.logDriver()) {
                case K8S_FILE -> {
                    args.add("-l");
                    args.add("k8s-file:" + opts.logPath().toAbsolutePath());
                    if (opts.logMaxSize() > 0) {
                        args.add("--log-size-max");
                        args.add(Long.toString(opts.logMaxSize()));
                    }
                }
                case NONE -> {
                    args.add("-l");
                    args.add("none:");
                }
            }
            if (opts.tty()) args.add("-t");
            if (opts.openStdin()) {
                args.add("-i");
                if (!opts.stdinOnce()) args.add("--leave-stdin-open");
            }
            try (InputStream sync = spawnConmon(args)) {
                JsonNode msg = readSync(sync);
                int pid = msg == null ? -1 : msg.path("data").asInt(-1);
                if (pid <= 0) {
                    String why = msg == null ? runtimeLog(dir) : msg.path("message").asText("");
                    if (why.isBlank()) why = runtimeLog(dir);
                    throw RuntimeErrors.fromRuntime("create", why.isBlank() ? "conmon failed to create container " + id : Runc.inRuncsWords(why));
                }
                if (compiledHere != null) filters.learn(compiledHere, runc.stateDir(id));
                bundles.put(id, bundle);
                runtimeOf.put(id, runc);
                pids.put(id, pid);
                return new ContainerProcess(id, bundle, pid, readPid(dir.resolve("conmon.pid")));
            }
        } catch (IOException e) {
            cleanupFiles(id, bundle);
            throw new BerthException.SystemError("starting conmon for " + id + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanupFiles(id, bundle);
            throw e;
        }
    }

    /** Starts a created container ({@code runc start}; crun's without a fork, see {@link #startThroughExecFifo}). */
    @Override
    public void start(String id) {
        Runc runc = runcOf(id);
        if (runc.runtime().isCrun() && NO_NOTIFY_SOCKET && startThroughExecFifo(runc.stateDir(id))) return;
        runc.run("start", id);
    }

    /** crun proxies sd_notify for containers when its environment (berthd's) names a notify socket; then its start waits. */
    private static final boolean NO_NOTIFY_SOCKET = System.getenv("NOTIFY_SOCKET") == null;

    /**
     * What {@code crun start} does for a spec without poststart hooks (berthd's have none) when no notify socket is
     * set: open the container's {@code exec.fifo} for writing, unlink it, write one byte; the container's init, blocked
     * on reading it, then execs the process, and crun's {@code state} says running from then on (the FIFO is gone). A
     * fork and exec of the runtime fewer on the start path (5–8 ms). Without a reader (the init is gone) the open fails
     * at once and {@code crun start} is left to say why.
     */
    private boolean startThroughExecFifo(Path stateDir) {
        Path fifo = stateDir.resolve("exec.fifo");
        int fd;
        try {
            fd = unix.openFifoForWrite(fifo);
        } catch (IOException e) {
            return false;
        }
        try {
            Files.delete(fifo);
            unix.write(fd, new byte[1], 0, 1);
            return true;
        } catch (IOException e) {
            throw new BerthException.SystemError("starting the container through " + fifo + ": " + e.getMessage(), e);
        } finally {
            unix.close(fd);
        }
    }

    /**
     * Sends a signal to the container's init process, or with {@code all} to every process in it.
     * The init process is signalled directly (no runtime fork).
     */
    @Override
    public void kill(String id, int signal, boolean all) {
        if (all) {
            runcOf(id).run("kill", "--all", id, Integer.toString(signal));
            return;
        }
        if (exits.read(id) != null) throw new BerthException.Conflict("container " + id + " is not running");
        int pid = initPid(id);
        try {
            if (!unix.kill(pid, signal)) throw new BerthException.Conflict("container " + id + " is not running");
        } catch (IOException e) {
            throw new BerthException.SystemError(e.getMessage(), e);
        }
    }

    private int initPid(String id) {
        Integer p = pids.get(id);
        if (p != null) return p;
        bundleOf(id); // NotFound if unknown
        try {
            int pid = readPid(dirOf(id).resolve("pid"));
            pids.put(id, pid);
            return pid;
        } catch (IOException e) {
            throw new BerthException.SystemError("reading the pid of " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void pause(String id) {
        runcOf(id).run("pause", id);
    }

    @Override
    public void resume(String id) {
        runcOf(id).run("resume", id);
    }

    /** The runtime's view of the container ({@code runc state}). */
    @Override
    public RuntimeState state(String id) {
        String out = runcOf(id).run("state", id);
        try {
            JsonNode n = JSON.readTree(out);
            return new RuntimeState(n.path("id").asText(), RuntimeState.Status.parse(n.path("status").asText()),
                    n.path("pid").asInt(), Path.of(n.path("bundle").asText()), Instant.parse(n.path("created").asText()));
        } catch (IOException e) {
            throw new BerthException.SystemError("unreadable runtime state of " + id + ": " + out, e);
        }
    }

    /** Completes when the container's main process has exited and conmon has recorded it. */
    @Override
    public CompletableFuture<ExitStatus> onExit(String id) {
        return exits.onExit(id);
    }

    /** Connects to the container's attach socket. */
    @Override
    public Attach attach(String id) {
        Path socket = bundleOf(id).resolve("attach");
        try {
            return Attach.connect(socket);
        } catch (IOException e) {
            throw new BerthException.Conflict("cannot attach to " + id + " (" + e.getMessage() + ")");
        }
    }

    /** Sets the size of the container's terminal (through conmon's control FIFO). */
    @Override
    public void resize(String id, int height, int width) {
        writeCtl(bundleOf(id).resolve("ctl"), "1 " + height + " " + width + "\n");
    }

    /** Asks conmon to reopen the log file (after it was moved away by a log rotator). */
    @Override
    public void reopenLog(String id) {
        writeCtl(bundleOf(id).resolve("ctl"), "2 0 0\n");
    }

    private void writeCtl(Path fifo, String message) {
        int fd;
        try {
            fd = unix.openFifoForWrite(fifo);
        } catch (IOException e) {
            throw new BerthException.Conflict("the monitor of this container is gone (" + e.getMessage() + ")");
        }
        try {
            byte[] b = message.getBytes(StandardCharsets.US_ASCII);
            unix.write(fd, b, 0, b.length);
        } catch (IOException e) {
            throw new BerthException.SystemError(e.getMessage(), e);
        } finally {
            unix.close(fd);
        }
    }

    /**
     * Deletes the container from the runtime and removes the driver's and conmon's files (not the
     * bundle's config.json and rootfs, nor the log). {@code force} kills a running container first.
     */
    @Override
    public void delete(String id, boolean force) {
        Path bundle = bundleOf(id);
        try {
            if (force) {
                runcOf(id).run("delete", "--force", id);
            } else {
                runcOf(id).run("delete", id);
            }
        } catch (BerthException.NotFound e) {
            // never created or already deleted in the runtime: only files remain
        }
        cleanupFiles(id, bundle);
    }

    private void cleanupFiles(String id, Path bundle) {
        bundles.remove(id);
        runtimeOf.remove(id);
        pids.remove(id);
        try {
            exits.forget(id);
            for (String f : List.of("attach", "ctl", "winsz")) Files.deleteIfExists(bundle.resolve(f));
        } catch (IOException e) {
            throw new BerthException.SystemError("cleaning up " + id + ": " + e.getMessage(), e);
        }
        deleteTree(dirOf(id));
    }

    /**
     * Finds the containers an earlier driver left (after a berthd restart) and adopts them: their
     * exits are watched again, attach, kill and delete work as for containers created here.
     */
    @Override
    public List<Recovered> recover() {
        List<Recovered> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(containersDir)) {
            for (Path dir : ds) {
                String id = dir.getFileName().toString();
                Path bundle;
                try {
                    bundle = Path.of(Files.readString(dir.resolve("bundle")).strip());
                } catch (NoSuchFileException e) {
                    continue; // a create that died half-way; delete() of the id cleans it
                }
                int conmonPid = -1;
                try {
                    conmonPid = readPid(dir.resolve("conmon.pid"));
                } catch (IOException ignored) {
                    // conmon never got to write it
                }
                bundles.put(id, bundle);
                found.add(new Recovered(id, bundle, conmonPid, isConmon(conmonPid), exits.read(id)));
            }
        } catch (IOException e) {
            throw new BerthException.SystemError("reading " + containersDir + ": " + e.getMessage(), e);
        }
        return found;
    }

    /** True if {@code pid} is a live (not zombie) conmon. */
    static boolean isConmon(int pid) {
        if (pid <= 0) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            String comm = stat.substring(stat.indexOf('(') + 1, close);
            char state = stat.charAt(close + 2);
            return comm.equals("conmon") && state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops watching exits. Containers and their monitors keep running. */
    @Override
    public void close() throws IOException {
        exits.close();
    }

    // --- conmon plumbing ---

    /**
     * Spawns conmon in a new session with the sync pipe on fd 3 and returns the pipe's read end.
     * conmon's first process forks the monitor and exits at once; it is reaped here.
     */
    private InputStream spawnConmon(List<String> args) throws IOException {
        int[] pipe = unix.pipe();
        InputStream in;
        int pid;
        try {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
            env.put("_OCI_SYNCPIPE", "3");
            // opened while this process still holds the write end, so the open cannot block
            in = new FileInputStream("/proc/self/fd/" + pipe[0]);
            try {
                pid = unix.spawnDetached(args, env, Map.of(3, pipe[1]));
            } catch (IOException e) {
                in.close();
                throw e;
            }
        } finally {
            unix.close(pipe[1]);
            unix.close(pipe[0]);
        }
        int spawned = pid;
        Thread.ofVirtual().start(() -> {
            try {
                unix.waitpid(spawned);
            } catch (IOException ignored) {
                // already reaped
            }
        });
        return in;
    }

    /** One newline-terminated JSON message from conmon's sync pipe, or null at end of file. */
    private static JsonNode readSync(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (;;) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) return null;
                break;
            }
            if (b == '\n') {
                if (line.size() == 0) continue;
                break;
            }
            line.write(b);
        }
        return JSON.readTree(line.toByteArray());
    }

    private static String runtimeLog(Path dir) {
        try {
            return Runc.errorMessage(Files.readAllBytes(dir.resolve("runtime.log")));
        } catch (IOException e) {
            return "";
        }
    }

    private static int readPid(Path file) throws IOException {
        try {
            return Integer.parseInt(Files.readString(file).strip());
        } catch (NumberFormatException e) {
            throw new IOException("bad pid file " + file, e);
        }
    }

    private static void validateId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new BerthException.InvalidArgument("invalid container id " + id);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
