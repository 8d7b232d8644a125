package io.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.errors.BerthException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link OciRuntime} that runs nothing: it simulates each container's main process from the
 * {@code process.args} of its bundle's {@code config.json}, without root, runc or cgroups.
 *
 * <p>The processes it knows (anything else fails at create as runc does for a missing executable):
 * <ul>
 *   <li>{@code true}, {@code false}, {@code sh -c "exit N"}: exit 0, 1 or N once started;</li>
 *   <li>{@code sleep N}: a pid 1 without signal handlers, which only SIGKILL ends (137);</li>
 *   <li>{@code sh -c "… trap 'exit N' TERM …"}: exits N on SIGTERM, 137 on SIGKILL;</li>
 *   <li>any other {@code sh -c} script: a shell waiting for its children, which a signal to all
 *       processes ends with 128 + the signal, and a signal to it alone only if it is SIGKILL.</li>
 * </ul>
 * A paused container takes only SIGKILL. {@link #exit} and {@link #oomKill} end a process as if it
 * had ended on its own; {@link #reopen()} stands for a restart of berthd (the processes live on);
 * {@link #calls()} lists the resize and reopen-log requests. Attaching is not
 * simulated (it fails with a conflict, as for a container whose monitor is gone).
 */
public final class FakeOciRuntime implements OciRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIGKILL = 9;
    private static final int SIGTERM = 15;
    private static final Pattern EXIT = Pattern.compile("exit (\\d+)");
    private static final Pattern TRAP = Pattern.compile("trap 'exit (\\d+)' TERM");

    /** How a simulated process reacts: its exit code once started (null: it runs), its SIGTERM handler. */
    private record Program(Integer exitAtStart, Integer exitOnTerm, boolean diesOfGroupSignals) {}

    private static final class Proc {
        final String id;
        final Path bundle;
        final int pid;
        final Program program;
        final Instant created = Instant.now();
        RuntimeState.Status status = RuntimeState.Status.CREATED;
        ExitStatus exit;

        Proc(String id, Path bundle, int pid, Program program) {
            this.id = id;
            this.bundle = bundle;
            this.pid = pid;
            this.program = program;
        }
    }

    private final Map<String, Proc> procs;
    private final AtomicInteger pids;
    private final List<String> calls;
    private final Map<String, CompletableFuture<ExitStatus>> exits = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public FakeOciRuntime() {
        this(new ConcurrentHashMap<>(), new AtomicInteger(1000), new CopyOnWriteArrayList<>());
    }

    private FakeOciRuntime(Map<String, Proc> procs, AtomicInteger pids, List<String> calls) {
        this.procs = procs;
        this.pids = pids;
        this.calls = calls;
    }

    /**
     * Closes this runtime and returns a new one over the same processes, as after a restart of
     * berthd: the futures of this one never complete, the new one's must be asked for again.
     */
    public FakeOciRuntime reopen() {
        close();
        return new FakeOciRuntime(procs, pids, calls);
    }

    @Override
    public ContainerProcess create(String id, Path bundle, ObjectNode spec, CreateOptions opts) {
        bundle = bundle.toAbsolutePath();
        try {
            Files.createDirectories(bundle);
            Files.write(bundle.resolve("config.json"), JSON.writeValueAsBytes(spec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Program program = program(id, bundle);
        int pid = pids.addAndGet(2);
        Proc p = new Proc(id, bundle, pid, program);
        if (procs.putIfAbsent(id, p) != null) throw new BerthException.Conflict("container " + id + " already exists in the runtime");
        exits.computeIfAbsent(id, k -> new CompletableFuture<>());
        return new ContainerProcess(id, bundle, pid, pid + 1);
    }

    private static Program program(String id, Path bundle) {
        List<String> args = new ArrayList<>();
        try {
            JsonNode spec = JSON.readTree(bundle.resolve("config.json").toFile());
            spec.path("process").path("args").forEach(a -> args.add(a.asText()));
        } catch (IOException e) {
            throw new BerthException.SystemError("reading the bundle of " + id + ": " + e.getMessage(), e);
        }
        String cmd = args.isEmpty() ? "" : args.getFirst();
        String script = args.size() == 3 && cmd.equals("sh") && args.get(1).equals("-c") ? args.get(2) : null;
        Matcher exit = script == null ? null : EXIT.matcher(script);
        Matcher trap = script == null ? null : TRAP.matcher(script);
        if (cmd.equals("true")) return new Program(0, null, false);
        if (cmd.equals("false")) return new Program(1, null, false);
        if (cmd.equals("sleep")) return new Program(null, null, false);
        if (trap != null && trap.find()) return new Program(null, Integer.parseInt(trap.group(1)), true);
        if (exit != null && exit.matches()) return new Program(Integer.parseInt(exit.group(1)), null, false);
        if (script != null) return new Program(null, null, true);
        throw RuntimeErrors.fromRuntime("create", "runc create failed: unable to start container process: exec: \""
                + cmd + "\": executable file not found in $PATH");
    }

    private Proc require(String id) {
        Proc p = procs.get(id);
        if (p == null) throw new BerthException.NotFound("no such container: " + id);
        return p;
    }

    @Override
    public void start(String id) {
        Proc p = procs.get(id);
        if (p == null) throw RuntimeErrors.fromRuntime("start", "container does not exist");
        synchronized (p) {
            if (p.status != RuntimeState.Status.CREATED) {
                throw RuntimeErrors.fromRuntime("start", "cannot start a container that has " + p.status.name().toLowerCase());
            }
            p.status = RuntimeState.Status.RUNNING;
        }
        // the process ends after start returns, as a real one would
        if (p.program.exitAtStart() != null) Thread.ofVirtual().start(() -> end(p, p.program.exitAtStart(), false));
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        Proc p = require(id);
        Integer code;
        synchronized (p) {
            if (p.status == RuntimeState.Status.STOPPED) {
                if (all) throw RuntimeErrors.fromRuntime("kill", "container not running");
                throw new BerthException.Conflict("container " + id + " is not running");
            }
            code = outcome(p, signal, all);
        }
        if (code != null) end(p, code, false);
    }

    /** The exit code a signal causes, or null if the process survives it. */
    private static Integer outcome(Proc p, int signal, boolean all) {
        if (signal == SIGKILL) return 128 + SIGKILL;
        if (p.status != RuntimeState.Status.RUNNING) return null;
        if (signal == SIGTERM && p.program.exitOnTerm() != null) return p.program.exitOnTerm();
        return all && p.program.diesOfGroupSignals() ? 128 + signal : null;
    }

    @Override
    public void pause(String id) {
        Proc p = require(id);
        synchronized (p) {
            if (p.status != RuntimeState.Status.RUNNING) throw RuntimeErrors.fromRuntime("pause", "container not running");
            p.status = RuntimeState.Status.PAUSED;
        }
    }

    @Override
    public void resume(String id) {
        Proc p = require(id);
        synchronized (p) {
            if (p.status != RuntimeState.Status.PAUSED) throw RuntimeErrors.fromRuntime("resume", "container not paused");
            p.status = RuntimeState.Status.RUNNING;
        }
    }

    @Override
    public RuntimeState state(String id) {
        Proc p = procs.get(id);
        if (p == null) throw RuntimeErrors.fromRuntime("state", "container \"" + id + "\" does not exist");
        synchronized (p) {
            return new RuntimeState(id, p.status, p.status == RuntimeState.Status.STOPPED ? 0 : p.pid, p.bundle, p.created);
        }
    }

    @Override
    public CompletableFuture<ExitStatus> onExit(String id) {
        return exits.computeIfAbsent(id, k -> {
            CompletableFuture<ExitStatus> f = new CompletableFuture<>();
            Proc p = procs.get(k);
            if (p != null) {
                synchronized (p) {
                    if (p.exit != null) f.complete(p.exit);
                }
            }
            return f;
        });
    }

    @Override
    public Attach attach(String id) {
        require(id);
        throw new BerthException.Conflict("cannot attach to " + id + " (the fake runtime has no stdio)");
    }

    @Override
    public void resize(String id, int height, int width) {
        running(id);
        calls.add("resize " + id + " " + height + " " + width);
    }

    @Override
    public void reopenLog(String id) {
        running(id);
        calls.add("reopen-log " + id);
    }

    private void running(String id) {
        Proc p = require(id);
        synchronized (p) {
            if (p.status == RuntimeState.Status.STOPPED) throw new BerthException.Conflict("the monitor of this container is gone");
        }
    }

    @Override
    public void delete(String id, boolean force) {
        Proc p = require(id);
        synchronized (p) {
            boolean alive = p.status == RuntimeState.Status.RUNNING || p.status == RuntimeState.Status.PAUSED;
            if (alive && !force) {
                throw RuntimeErrors.fromRuntime("delete", "cannot delete container " + id + " that is not stopped: "
                        + p.status.name().toLowerCase());
            }
        }
        end(p, 128 + SIGKILL, false);
        procs.remove(id);
        exits.remove(id);
    }

    @Override
    public List<Recovered> recover() {
        List<Recovered> out = new ArrayList<>();
        for (Proc p : procs.values()) {
            synchronized (p) {
                out.add(new Recovered(p.id, p.bundle, p.pid + 1, p.exit == null, p.exit));
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
    }

    // ---- what tests do to the simulated processes ----

    /** Ends the running container's process with {@code code}, as if it had exited on its own. */
    public void exit(String id, int code) {
        end(require(id), code, false);
    }

    /** Kills the container's process as the kernel's OOM killer would (137, OOMKilled). */
    public void oomKill(String id) {
        end(require(id), 128 + SIGKILL, true);
    }

    /** The containers the runtime holds (created, running, paused or stopped, not yet deleted). */
    public List<String> containers() {
        return List.copyOf(procs.keySet());
    }

    /** The resize ({@code resize <id> <h> <w>}) and log reopen ({@code reopen-log <id>}) requests, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** True once {@link #close()} was called. */
    public boolean closed() {
        return closed;
    }

    private void end(Proc p, int code, boolean oom) {
        ExitStatus exit = new ExitStatus(code, Instant.now(), oom);
        synchronized (p) {
            if (p.status == RuntimeState.Status.STOPPED) return;
            p.status = RuntimeState.Status.STOPPED;
            p.exit = exit;
        }
        onExit(p.id).complete(exit);
    }
}
