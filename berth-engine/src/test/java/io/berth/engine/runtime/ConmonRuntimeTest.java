package io.berth.engine.runtime;

import io.berth.engine.service.StdStream;
import io.berth.engine.service.LogEntry;
import io.berth.engine.testing.Requirements;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.errors.BerthException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real conmon + runc, as root. */
class ConmonRuntimeTest extends OciRuntimeContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger();

    Path stateRoot;
    Path execRoot;

    @Override
    OciRuntime open() throws IOException {
        Requirements.require("root".equals(System.getProperty("user.name")), "it needs root");
        Requirements.require(Files.isExecutable(Path.of("/usr/bin/conmon")) && Files.isExecutable(Path.of("/usr/sbin/runc")), "conmon and runc are not installed");
        stateRoot = tmp.resolve("state");
        execRoot = tmp.resolve("exec");
        return new ConmonRuntime(config());
    }

    /** runc alone (the stock runtime), its state under {@code stateRoot}. */
    private ConmonRuntime.Config config() {
        var runc = new ConfiguredRuntime(Runtimes.RUNC, "runc", Path.of("/usr/sbin/runc"), List.of());
        return new ConmonRuntime.Config(Path.of("/usr/bin/conmon"), new Runtimes(Map.of(Runtimes.RUNC, runc), Runtimes.RUNC),
                stateRoot, execRoot, RuntimeLauncher.DIRECT, ContainerMountDirs.NONE);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (rt == null) return;
        deleteCreated();
        // every conmon started with our exec root must be gone
        for (int pid : conmonsUnder(execRoot)) {
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        }
        assertThat(conmonsUnder(execRoot)).as("live conmon processes").isEmpty();
        try (Stream<Path> s = Files.list(stateRoot.resolve("runc"))) {
            assertThat(s.toList()).as("runc state").isEmpty();
        }
        try (Stream<Path> s = Files.walk(execRoot)) {
            assertThat(s.filter(Files::isRegularFile).toList()).as("files left in the exec root").isEmpty();
        }
        rt.close();
    }

    /** Live (non-zombie) conmons whose command line names this exec root. */
    static List<Integer> conmonsUnder(Path execRoot) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    int pid = Integer.parseInt(p.getFileName().toString());
                    if (cmd.startsWith("/usr/bin/conmon") && cmd.contains(execRoot.toString()) && ConmonRuntime.isConmon(pid)) {
                        out.add(pid);
                    }
                } catch (IOException ignored) {
                    // gone meanwhile
                }
            }
        }
        return out;
    }

    /** The session id of a process (field 6 of /proc/<pid>/stat). */
    static int session(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[3]);
    }

    // --- fixtures ---

    @Override
    Path bundle(boolean tty, String... args) throws IOException {
        Path b = tmp.resolve("bundle-" + SEQ.incrementAndGet());
        Path bin = b.resolve("rootfs/bin");
        Files.createDirectories(bin);
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String c : List.of("sh", "echo", "cat", "sleep", "id", "true", "false", "stty")) {
            Files.createSymbolicLink(bin.resolve(c), Path.of("busybox"));
        }
        Process p = new ProcessBuilder("/usr/sbin/runc", "spec", "--bundle", b.toString()).inheritIO().start();
        try {
            assertThat(p.waitFor()).isZero();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        ObjectNode config = (ObjectNode) JSON.readTree(b.resolve("config.json").toFile());
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", tty);
        ArrayNode a = process.putArray("args");
        for (String s : args) a.add(s);
        ArrayNode rl = process.putArray("rlimits");
        rl.addObject().put("type", "RLIMIT_NOFILE").put("hard", 1024).put("soft", 1024);
        ((ObjectNode) config.get("root")).put("readonly", false);
        JSON.writeValue(b.resolve("config.json").toFile(), config);
        return b;
    }

    static String text(List<LogEntry> entries, StdStream s) {
        StringBuilder sb = new StringBuilder();
        for (LogEntry e : entries) if (e.stream() == s) sb.append(e.text());
        return sb.toString();
    }

    // --- tests ---

    @Test
    void runsEchoAndRecordsExitAndLog() throws Exception {
        String id = newId();
        ContainerProcess c = create(id, bundle(false, "sh", "-c", "echo out; echo err >&2; exit 3"), CreateOptions.logTo(log(id)));
        assertThat(c.pid()).isPositive();
        assertThat(ConmonRuntime.isConmon(c.conmonPid())).isTrue();
        assertThat(rt.state(id).status()).isEqualTo(RuntimeState.Status.CREATED);
        rt.start(id);
        ExitStatus exit = rt.awaitExit(id, WAIT);
        assertThat(exit.exitCode()).isEqualTo(3);
        assertThat(exit.oomKilled()).isFalse();
        assertThat(rt.state(id).status()).isEqualTo(RuntimeState.Status.STOPPED);
        List<LogEntry> entries = new LogReader(log(id)).read(LogReader.Query.all());
        assertThat(text(entries, StdStream.STDOUT)).isEqualTo("out\n");
        assertThat(text(entries, StdStream.STDERR)).isEqualTo("err\n");
        rt.delete(id, false);
        created.remove(id);
        assertThat(Files.exists(log(id))).isTrue(); // the log is the caller's
    }

    @Test
    void logReaderTailSinceAndStreams() throws Exception {
        String id = newId();
        create(id, bundle(false, "sh", "-c", "for i in 1 2 3 4 5; do echo o$i; echo e$i >&2; done"), CreateOptions.logTo(log(id)));
        rt.start(id);
        assertThat(rt.awaitExit(id, WAIT).exitCode()).isZero();
        LogReader r = new LogReader(log(id));
        List<LogEntry> all = r.read(LogReader.Query.all());
        assertThat(all).hasSize(10);
        assertThat(text(r.read(LogReader.Query.all().withStreams(java.util.Set.of(StdStream.STDOUT)).withTail(2)), StdStream.STDOUT))
                .isEqualTo("o4\no5\n");
        var since = all.get(6).time();
        assertThat(r.read(LogReader.Query.all().between(since, null))).allMatch(e -> !e.time().isBefore(since));
        assertThat(r.read(LogReader.Query.all().between(null, all.get(0).time()))).isEmpty();
    }

    @Test
    void followsUntilExit() throws Exception {
        String id = newId();
        create(id, bundle(false, "sh", "-c", "echo a; sleep 0.3; echo b; sleep 0.3; echo c"), CreateOptions.logTo(log(id)));
        List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<ExitStatus> exit = rt.onExit(id);
        rt.start(id);
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                new LogReader(log(id)).follow(LogReader.Query.all(), e -> got.add(e.text()), exit);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(t.join(WAIT)).isTrue();
        assertThat(got).containsExactly("a\n", "b\n", "c\n");
    }

    static String readAll(Attach at) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Attach.Frame f; (f = at.read()) != null; ) out.writeBytes(f.data());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void attachPipesStdinToCat() throws Exception {
        String id = newId();
        create(id, bundle(false, "sh", "-c", "cat; echo done >&2"), CreateOptions.logTo(log(id)).withStdin(true, true));
        try (Attach at = rt.attach(id)) {
            rt.start(id);
            at.stdin().write("hello cat\n".getBytes(StandardCharsets.UTF_8));
            at.closeStdin();
            List<Attach.Frame> frames = new ArrayList<>();
            for (Attach.Frame f; (f = at.read()) != null; ) frames.add(f);
            String out = frames.stream().filter(f -> f.stream() == StdStream.STDOUT).map(f -> new String(f.data(), StandardCharsets.UTF_8)).reduce("", String::concat);
            String err = frames.stream().filter(f -> f.stream() == StdStream.STDERR).map(f -> new String(f.data(), StandardCharsets.UTF_8)).reduce("", String::concat);
            assertThat(out).isEqualTo("hello cat\n");
            assertThat(err).isEqualTo("done\n");
        }
        assertThat(rt.awaitExit(id, WAIT).exitCode()).isZero();
    }

    @Test
    void attachWithTtyAndResize() throws Exception {
        String id = newId();
        create(id, bundle(true, "sh", "-c", "read x; stty size; echo got $x"),
                CreateOptions.logTo(log(id)).withTty(true).withStdin(true, true));
        try (Attach at = rt.attach(id)) {
            rt.start(id);
            rt.resize(id, 33, 77);
            at.stdin().write("abc\n".getBytes(StandardCharsets.UTF_8));
            String out = readAll(at);
            assertThat(out).contains("33 77").contains("got abc");
            assertThat(out).contains("\r\n"); // a terminal
        }
        assertThat(rt.awaitExit(id, WAIT).exitCode()).isZero();
    }

    @Test
    void containerOutlivesTheDriverAndIsAdopted() throws Exception {
        String id = newId();
        Path bundle = bundle(false, "sh", "-c", "cat; exit 7");
        ContainerProcess c = create(id, bundle, CreateOptions.logTo(log(id)).withStdin(true, true));
        rt.start(id);
        // conmon is in a session of its own, so a signal to berthd's process group or session does not reach it
        assertThat(session(c.conmonPid())).isNotEqualTo(session((int) ProcessHandle.current().pid()));
        rt.close(); // berthd goes away
        rt = new ConmonRuntime(config());
        List<OciRuntime.Recovered> found = rt.recover();
        assertThat(found).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(id);
            assertThat(r.bundle()).isEqualTo(bundle.toAbsolutePath());
            assertThat(r.conmonPid()).isEqualTo(c.conmonPid());
            assertThat(r.monitorAlive()).isTrue();
            assertThat(r.exit()).isNull();
        });
        assertThat(rt.state(id).status()).isEqualTo(RuntimeState.Status.RUNNING);
        CompletableFuture<ExitStatus> exit = rt.onExit(id);
        try (Attach at = rt.attach(id)) {
            at.stdin().write("x\n".getBytes(StandardCharsets.UTF_8));
            at.closeStdin();
            assertThat(readAll(at)).isEqualTo("x\n");
        }
        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS).exitCode()).isEqualTo(7);
    }

    @Test
    void logSizeMaxRotates() throws Exception {
        String id = newId();
        create(id, bundle(false, "sh", "-c", "i=0; while [ $i -lt 200 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done"),
                CreateOptions.logTo(log(id)).withLogMaxSize(4096));
        rt.start(id);
        assertThat(rt.awaitExit(id, WAIT).exitCode()).isZero();
        assertThat(Files.size(log(id))).isLessThanOrEqualTo(4096 + 200);
        List<LogEntry> tail = new LogReader(log(id)).read(LogReader.Query.all().withTail(1));
        assertThat(tail.getFirst().text()).startsWith("line-199-");
    }

    @Test
    void noLogDriver() throws Exception {
        String id = newId();
        create(id, bundle(false, "echo", "hi"), new CreateOptions(false, false, false, CreateOptions.LogDriver.NONE, null, 0, null));
        rt.start(id);
        assertThat(rt.awaitExit(id, WAIT).exitCode()).isZero();
    }

    @Test
    void hotPathTiming() throws Exception {
        Path bundle = bundle(false, "true");
        long[] ms = new long[6];
        for (int i = 0; i < ms.length; i++) {
            String id = newId();
            long t0 = System.nanoTime();
            create(id, bundle, CreateOptions.logTo(log(id)));
            long t1 = System.nanoTime();
            CompletableFuture<ExitStatus> exit = rt.onExit(id);
            rt.start(id);
            long t2 = System.nanoTime();
            assertThat(exit.get(20, TimeUnit.SECONDS).exitCode()).isZero();
            long t3 = System.nanoTime();
            rt.delete(id, false);
            long t4 = System.nanoTime();
            ms[i] = (t4 - t0) / 1_000_000;
            System.out.printf("  create %d ms, start %d ms, exit seen %d ms, delete %d ms%n",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
            created.remove(id);
        }
        System.out.println("create → start → exit → delete of `true` (ms, first is cold): " + java.util.Arrays.toString(ms));
    }
}
