package io.berth.engine.container;

import io.berth.api.container.ContainerCreateRequest;
import io.berth.api.container.ContainerStats;
import io.berth.api.container.ContainerTopResponse;
import io.berth.api.container.HostConfig;
import io.berth.api.exec.ExecConfig;
import io.berth.api.exec.ExecInspect;
import io.berth.engine.daemon.Engine;
import io.berth.engine.service.ProcessStdio;
import io.berth.engine.service.StdStream;
import io.berth.engine.testing.RealEngine;
import io.berth.api.errors.BerthException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** exec, top, stats and update through a real engine (runc + conmon), as root, in a private data and exec root. */
class ExecAndResourcesTest {
    @TempDir
    static Path tmp;
    static Engine engine;
    static String id;
    static final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        engine = RealEngine.withBusybox(tmp);
        HostConfig.Builder h = host();
        h.memory = 64L * 1024 * 1024;
        id = run(h.build(), "sleep", "1000");
    }

    static HostConfig.Builder host() {
        HostConfig.Builder b = HostConfig.builder();
        b.networkMode = "none";
        return b;
    }

    static String run(HostConfig host, String... cmd) {
        String cid = engine.containers().create("", ContainerCreateRequest.of("busybox", List.of(cmd), host)).id();
        containers.add(cid);
        engine.containers().start(cid);
        return cid;
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (engine == null) return;
        for (String c : containers) {
            try {
                engine.containers().remove(c, true, false);
            } catch (BerthException.NotFound e) {
                // removed by a test
            }
        }
        engine.close();
        for (String c : containers) {
            for (String ctl : List.of("memory", "pids", "cpu", "cpuacct", "blkio")) {
                assertThat(Path.of("/sys/fs/cgroup", ctl, "berth", c)).as("cgroup left behind").doesNotExist();
            }
            assertThat(Path.of("/sys/fs/cgroup/berth", c)).doesNotExist();
        }
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(mounts).as("mounts left behind").doesNotContain(tmp.toString());
    }

    record Result(int code, String out, String err, String startError) {}

    static ExecConfig config(List<String> cmd, boolean tty, List<String> env, String workDir, String user) {
        return new ExecConfig(false, true, true, null, null, tty, env, cmd, false, user, workDir);
    }

    static Result exec(ExecConfig cfg) throws Exception {
        String execId = engine.exec().create(id, cfg);
        ProcessStdio s = engine.exec().start(execId, false, null);
        try {
            CompletableFuture<Map<StdStream, String>> output = read(s);
            int code = s.exit().get(20, TimeUnit.SECONDS);
            ExecInspect inspect = engine.exec().inspect(execId);
            assertThat(inspect.running()).isFalse();
            assertThat(inspect.exitCode()).isEqualTo(code);
            Map<StdStream, String> o = output.get(20, TimeUnit.SECONDS);
            return new Result(code, o.get(StdStream.STDOUT), o.get(StdStream.STDERR), ((ExecSession) s).startError());
        } finally {
            s.close();
        }
    }

    /** The session's output by stream (a start failure included, as the last stdout frame). */
    static CompletableFuture<Map<StdStream, String>> read(ProcessStdio s) {
        CompletableFuture<Map<StdStream, String>> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            Map<StdStream, ByteArrayOutputStream> b = new EnumMap<>(StdStream.class);
            for (StdStream x : StdStream.values()) b.put(x, new ByteArrayOutputStream());
            try {
                s.copyOutput((stream, data, off, len) -> b.get(stream).write(data, off, len));
            } catch (IOException e) {
                f.completeExceptionally(e);
                return;
            }
            Map<StdStream, String> out = new EnumMap<>(StdStream.class);
            b.forEach((x, bytes) -> out.put(x, bytes.toString(StandardCharsets.UTF_8)));
            f.complete(out);
        });
        return f;
    }

    @Test
    void execRunsWithEnvWorkdirUserAndReportsExitCode() throws Exception {
        Result r = exec(config(List.of("sh", "-c", "echo $A; pwd; id -u; echo oops >&2; exit 3"), false, List.of("A=b"), "/tmp", "nobody"));
        assertThat(r.out()).isEqualTo("b\n/tmp\n65534\n");
        assertThat(r.err()).isEqualTo("oops\n");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.startError()).isNull();
    }

    @Test
    void missingExecutableIs127WithDockersMessage() throws Exception {
        Result r = exec(config(List.of("nope"), false, null, null, null));
        assertThat(r.code()).isEqualTo(127);
        // runc says "exec failed: unable to start …", crun its own words, put in runc's
        assertThat(r.startError()).startsWith("OCI runtime exec failed: ")
                .endsWith("unable to start container process: exec: \"nope\": executable file not found in $PATH: unknown");
    }

    @Test
    void ttyExecGetsATerminal() throws Exception {
        Result r = exec(config(List.of("sh", "-c", "tty; echo $TERM"), true, null, null, null));
        assertThat(r.code()).isZero();
        assertThat(r.out()).matches("(?s)/dev/pts/\\d+\r\nxterm\r\n");
    }

    @Test
    void detachedExecReturnsAtOnceAndIsInspectable() throws Exception {
        String execId = engine.exec().create(id, config(List.of("sleep", "1"), false, null, null, null));
        long t0 = System.nanoTime();
        ProcessStdio s = engine.exec().start(execId, true, null);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(900);
        ExecInspect running = engine.exec().inspect(execId);
        assertThat(running.running()).isTrue();
        assertThat(running.pid()).isPositive();
        assertThat(running.exitCode()).isNull();
        assertThat(s.exit().get(20, TimeUnit.SECONDS)).isZero();
        assertThatThrownBy(() -> engine.exec().start(execId, true, null)).isInstanceOf(BerthException.Conflict.class);
    }

    @Test
    void execNeedsARunningContainer() throws Exception {
        String stopped = engine.containers().create("", ContainerCreateRequest.of("busybox", List.of("true"),
                host().build())).id();
        containers.add(stopped);
        assertThatThrownBy(() -> engine.exec().create(stopped, config(List.of("true"), false, null, null, null)))
                .isInstanceOf(BerthException.Conflict.class).hasMessage("container " + stopped + " is not running");
        assertThatThrownBy(() -> engine.exec().inspect("nope")).isInstanceOf(BerthException.NotFound.class);
    }

    @Test
    void topListsTheContainersProcesses() {
        ContainerTopResponse top = engine.resources().top(id, "");
        assertThat(top.titles()).contains("PID", "CMD");
        List<List<String>> procs = top.processes();
        assertThat(procs).anySatisfy(row -> assertThat(row.getLast()).isEqualTo("sleep 1000"));
    }

    @Test
    void statsReportMemoryLimitPidsAndCpu() {
        List<ContainerStats> got = new ArrayList<>();
        engine.resources().stats(id, false, false, got::add, new CompletableFuture<>());
        assertThat(got).hasSize(1);
        ContainerStats s = got.getFirst();
        ContainerStats.MemoryStats mem = s.memoryStats();
        assertThat(mem.limit()).isEqualTo(64L * 1024 * 1024);
        assertThat(mem.usage()).isPositive();
        ContainerStats.PidsStats pids = s.pidsStats();
        assertThat(pids.current()).isGreaterThanOrEqualTo(1L);
        ContainerStats.CpuStats cpu = s.cpuStats();
        ContainerStats.CpuStats pre = s.precpuStats();
        assertThat(cpu.systemCpuUsage()).isGreaterThan(pre.systemCpuUsage());
    }

    @Test
    void updateAppliesLiveAndPersists() throws Exception {
        String c = run(host().build(), "sleep", "1000");
        HostConfig.Builder u = HostConfig.builder();
        u.memory = 32L * 1024 * 1024;
        u.memorySwap = 64L * 1024 * 1024;
        u.pidsLimit = 50L;
        engine.resources().update(c, u.build());
        String execId = engine.exec().create(c, config(List.of("sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max"), false, null, null, null));
        ProcessStdio s = engine.exec().start(execId, false, null);
        String out = read(s).get(20, TimeUnit.SECONDS).get(StdStream.STDOUT);
        s.close();
        assertThat(out.strip()).isEqualTo("33554432");
        assertThat(engine.containers().inspect(c, false).hostConfig().memory()).isEqualTo(32L * 1024 * 1024);
        assertThat(engine.containers().inspect(c, false).hostConfig().pidsLimit()).isEqualTo(50L);
    }
}
