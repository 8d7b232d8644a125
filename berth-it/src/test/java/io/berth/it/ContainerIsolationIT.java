package io.berth.it;

import static io.berth.it.support.Containers.field;
import static io.berth.it.support.Containers.runDetached;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Containers;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3: isolation and resource limits, checked from inside the container (and on the host's cgroup fs). */
class ContainerIsolationIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();
    static DockerCli docker;

    @BeforeAll
    static void image() {
        docker = daemon.docker();
        Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }

    /** {@code docker run --rm [opts…] busybox sh -c script}, asserting exit 0; returns stdout. */
    private static String in(List<String> opts, String script) {
        List<String> a = new ArrayList<>(List.of("run", "--rm"));
        a.addAll(opts);
        a.addAll(List.of("busybox", "sh", "-c", script));
        Result r = docker.run(a.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.out();
    }

    private static String in(String script) {
        return in(List.of(), script);
    }

    private static String capEff(List<String> opts) {
        return in(opts, "grep CapEff /proc/self/status").strip().replaceAll("CapEff:\\s*", "");
    }

    @Test
    void pidOneHostnameAndNamespaces() {
        assertThat(in("cat /proc/1/cmdline | tr '\\0' ' '")).isEqualTo("sh -c cat /proc/1/cmdline | tr '\\0' ' ' ");
        assertThat(in("ps -o pid,comm | wc -l").strip()).as("only the container's processes").isIn("3", "4");

        String id = runDetached(docker, "busybox", "sleep", "300");
        assertThat(docker.ok("exec", id, "hostname").strip()).isEqualTo(id.substring(0, 12));
        assertThat(docker.ok("exec", id, "cat", "/etc/hostname").strip()).isEqualTo(id.substring(0, 12));
        assertThat(docker.ok("exec", id, "cat", "/etc/hosts")).contains("127.0.0.1").contains("localhost");
        long pid = Long.parseLong(field(docker, id, "{{.State.Pid}}"));
        for (String ns : List.of("pid", "mnt", "uts", "ipc", "net")) {
            assertThat(readlink("/proc/" + pid + "/ns/" + ns)).as(ns + " namespace").isNotEqualTo(readlink("/proc/self/ns/" + ns));
        }
        docker.ok("rm", "-f", id);

        assertThat(in(List.of("--hostname", "box1"), "hostname; cat /etc/hostname")).isEqualTo("box1\nbox1\n");
    }

    private static String readlink(String p) {
        try {
            return Files.readSymbolicLink(Path.of(p)).toString();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void capabilitiesPrivilegedAndSecurity() {
        assertThat(capEff(List.of())).isEqualTo(Containers.DEFAULT_CAP_EFF);
        // NET_ADMIN is bit 12, CHOWN bit 0
        assertThat(capEff(List.of("--cap-add", "NET_ADMIN"))).isEqualTo(String.format("%016x", 0xa80425fbL | (1L << 12)));
        assertThat(capEff(List.of("--cap-drop", "CHOWN"))).isEqualTo(String.format("%016x", 0xa80425fbL & ~1L));
        assertThat(capEff(List.of("--cap-drop", "ALL"))).isEqualTo("0000000000000000");
        String full = capEff(List.of("--privileged"));
        assertThat(Long.parseLong(full, 16)).as("privileged has every capability").isGreaterThan(0xa80425fbL);
        assertThat(in(List.of("--cap-drop", "CHOWN"), "touch /tmp/f; chown 1 /tmp/f 2>&1; echo rc=$?")).contains("rc=1");

        assertThat(in("grep Seccomp: /proc/self/status").strip()).isEqualTo("Seccomp:\t2");
        assertThat(in(List.of("--security-opt", "seccomp=unconfined"), "grep Seccomp: /proc/self/status").strip()).isEqualTo("Seccomp:\t0");
        assertThat(in(List.of("--security-opt", "no-new-privileges"), "grep NoNewPrivs /proc/self/status").strip()).isEqualTo("NoNewPrivs:\t1");

        Result ro = docker.run("run", "--rm", "--read-only", "busybox", "sh", "-c", "touch /x");
        assertThat(ro.exit()).isNotZero();
        assertThat(ro.err()).contains("Read-only file system");
        assertThat(in(List.of("--read-only"), "touch /dev/shm/ok && echo writable-shm")).isEqualTo("writable-shm\n");
    }

    /**
     * crun compiles a seccomp profile once per daemon (Issue 12): later containers of the same profile get crun's program
     * through the spec, and neither profile leaks into the other's containers, in runs and in execs.
     */
    @Test
    void seccompProfilesCompiledOnceStayApart() throws Exception {
        Path profile = daemon.scratch().resolve("no-mkdir.json");
        Files.writeString(profile, """
                {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}""");
        List<String> crun = List.of("--runtime", "crun");
        List<String> noMkdir = List.of("--runtime", "crun", "--security-opt", "seccomp=" + profile);
        for (int i = 0; i < 2; i++) { // the second round runs on the programs the first one compiled
            assertThat(in(noMkdir, "mkdir /tmp/d 2>&1; echo rc=$?")).contains("Operation not permitted").contains("rc=1");
            assertThat(in(crun, "mkdir /tmp/d && echo made; grep Seccomp: /proc/self/status")).isEqualTo("made\nSeccomp:\t2\n");
            assertThat(in(crun, "unshare -r true 2>&1; echo rc=$?")).as("the default profile still denies unshare").endsWith("rc=1\n");
        }
        String id = runDetached(docker, "--runtime", "crun", "--security-opt", "seccomp=" + profile, "busybox", "sleep", "300");
        try {
            String spec = Files.readString(daemon.execRoot().resolve("containers").resolve(id).resolve("config.json"));
            assertThat(spec).as("the bundle carries the program compiled before").contains("run.oci.seccomp_bpf_data");
            Result exec = docker.run("exec", id, "sh", "-c", "mkdir /tmp/e 2>&1; echo rc=$?; grep Seccomp: /proc/self/status");
            assertThat(exec.out()).contains("rc=1").contains("Seccomp:\t2");
        } finally {
            docker.ok("rm", "-f", id);
        }
    }

    @Test
    void usersGroupsEnvWorkdirEntrypoint() {
        assertThat(in(List.of("--user", "65534"), "id -u; id -g").strip()).isEqualTo("65534\n65534");
        assertThat(in(List.of("--user", "nobody"), "id -un").strip()).isEqualTo("nobody");
        assertThat(in(List.of("--user", "1000:1000"), "id -u; id -g").strip()).isEqualTo("1000\n1000");
        assertThat(in(List.of("--user", "65534", "--group-add", "1234"), "id -G").strip().split(" ")).contains("1234");
        assertThat(in("id -u").strip()).isEqualTo("0");

        Path envFile = daemon.scratch().resolve("env.list");
        try {
            Files.writeString(envFile, "# comment\nFROM_FILE=yes\nSPACED=a b\n");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(in(List.of("-e", "A=1", "--env-file", envFile.toString()), "echo $A $FROM_FILE \"$SPACED\" $HOME"))
                .isEqualTo("1 yes a b /root\n");
        assertThat(in(List.of("-w", "/tmp/new/dir"), "pwd")).isEqualTo("/tmp/new/dir\n");

        Result ep = docker.run("run", "--rm", "--entrypoint", "echo", "busybox", "from", "entrypoint");
        assertThat(ep.out()).isEqualTo("from entrypoint\n");
        Result epOnly = docker.run("run", "--rm", "--entrypoint", "pwd", "busybox");
        assertThat(epOnly.out()).as("--entrypoint resets the image's CMD").isEqualTo("/\n");
    }

    @Test
    void mountsAndMaskedPaths() {
        String mounts = in("cat /proc/mounts");
        assertThat(mounts).containsPattern("(?m)^proc /proc proc rw")
                .containsPattern("(?m)^sysfs /sys sysfs ro")
                .containsPattern("(?m)^\\S+ /dev tmpfs")
                .containsPattern("(?m)^devpts /dev/pts devpts")
                .containsPattern("(?m)^shm /dev/shm tmpfs")
                .containsPattern("(?m)^mqueue /dev/mqueue mqueue")
                .containsPattern("(?m)^overlay / overlay");
        assertThat(in("touch /sys/x 2>&1; echo rc=$?")).contains("rc=1");
        assertThat(in("df -k /dev/shm | tail -1").split("\\s+")[1]).isEqualTo("65536");
        assertThat(in(List.of("--shm-size", "128m"), "df -k /dev/shm | tail -1").split("\\s+")[1]).isEqualTo("131072");

        // Docker's masked paths: empty (bound to /dev/null) or empty directories; read-only paths
        for (String p : List.of("/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/proc/latency_stats")) {
            if (Files.exists(Path.of(p))) {
                assertThat(in("wc -c < " + p).strip()).as(p + " masked").isEqualTo("0");
            }
        }
        if (Files.isDirectory(Path.of("/sys/firmware"))) {
            assertThat(in("ls /sys/firmware | wc -l").strip()).as("/sys/firmware masked").isEqualTo("0");
        }
        assertThat(in("echo 1 > /proc/sysrq-trigger 2>&1; echo rc=$?")).contains("rc=1");
        assertThat(in("grep ' /proc/sys ' /proc/mounts")).contains(" ro,");
        assertThat(in(List.of("--privileged"), "grep ' /proc/sys ' /proc/mounts || echo none")).isEqualTo("none\n");
    }

    @Test
    void cgroupLimitsInEffect() {
        String id = runDetached(docker, "--memory", "64m", "--cpus", "0.5", "--pids-limit", "10", "--cpu-shares", "512",
                "busybox", "sleep", "300");
        // inside: the container sees its own cgroup (v1: the controller dirs are the container's)
        if (Files.isDirectory(Path.of("/sys/fs/cgroup/memory"))) {
            assertThat(docker.ok("exec", id, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes").strip()).isEqualTo("67108864");
            assertThat(docker.ok("exec", id, "cat", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us").strip()).isEqualTo("50000");
            assertThat(docker.ok("exec", id, "cat", "/sys/fs/cgroup/cpu/cpu.cfs_period_us").strip()).isEqualTo("100000");
            assertThat(docker.ok("exec", id, "cat", "/sys/fs/cgroup/cpu/cpu.shares").strip()).isEqualTo("512");
            assertThat(docker.ok("exec", id, "cat", "/sys/fs/cgroup/pids/pids.max").strip()).isEqualTo("10");
            // and on the host, under the berth parent
            assertThat(read("/sys/fs/cgroup/memory/berth/" + id + "/memory.limit_in_bytes")).isEqualTo("67108864");
            assertThat(read("/sys/fs/cgroup/cpu,cpuacct/berth/" + id + "/cpu.cfs_quota_us")).isEqualTo("50000");
            assertThat(read("/sys/fs/cgroup/pids/berth/" + id + "/pids.max")).isEqualTo("10");
        } else {
            assertThat(docker.ok("exec", id, "cat", "/sys/fs/cgroup/memory.max").strip()).isEqualTo("67108864");
            assertThat(docker.ok("exec", id, "cat", "/sys/fs/cgroup/cpu.max").strip()).isEqualTo("50000 100000");
            assertThat(docker.ok("exec", id, "cat", "/sys/fs/cgroup/pids.max").strip()).isEqualTo("10");
        }
        // the pids limit bites: 10 processes at most
        Result fork = docker.run("exec", id, "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 30 & done; wait");
        assertThat(fork.err()).containsIgnoringCase("can't fork");
        docker.ok("rm", "-f", id);
        Containers.assertNoLeftovers(daemon, id);

        assertThat(in(List.of("--ulimit", "nofile=100:200"), "ulimit -n; ulimit -Hn")).isEqualTo("100\n200\n");
        String oomDisabled = in(List.of("--memory", "32m", "--oom-kill-disable"), "cat /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null || echo v2");
        if (!oomDisabled.equals("v2\n")) {
            assertThat(oomDisabled).contains("oom_kill_disable 1");
        }
    }

    private static String read(String p) {
        Path path = Path.of(p);
        if (!Files.exists(path)) {
            path = Path.of(p.replace("/cpu,cpuacct/", "/cpu/"));
        }
        try {
            return Files.readString(path).strip();
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read " + p, e);
        }
    }

    @Test
    void initIsPidOne() {
        assertThat(in(List.of("--init"), "cat /proc/1/cmdline | tr '\\0' ' '")).startsWith("/sbin/docker-init -- sh -c")
                .as("Docker names the init /sbin/docker-init (tini)");
        String id = runDetached(docker, "--init", "busybox", "sleep", "300");
        assertThat(field(docker, id, "{{.HostConfig.Init}}")).isEqualTo("true");
        // tini forwards SIGTERM: stop is quick, not a kill after the timeout
        long t0 = System.nanoTime();
        docker.ok("stop", "-t", "10", id);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000L);
        docker.ok("rm", id);
    }

    @Test
    void networkModes() {
        assertThat(in(List.of("--network", "none"), "ls /sys/class/net")).isEqualTo("lo\n");
        List<String> hostIfs;
        try (var s = Files.list(Path.of("/sys/class/net"))) {
            hostIfs = s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(in(List.of("--network", "host"), "ls /sys/class/net").lines().sorted().toList()).isEqualTo(hostIfs);
        assertThat(in(List.of("--network", "host"), "readlink /proc/self/ns/net").strip()).isEqualTo(readlink("/proc/self/ns/net"));

        String owner = runDetached(docker, "--name", "netowner", "--network", "none", "busybox", "sleep", "300");
        String ownerNs = docker.ok("exec", owner, "readlink", "/proc/self/ns/net").strip();
        assertThat(ownerNs).isNotEqualTo(readlink("/proc/self/ns/net"));
        assertThat(in(List.of("--network", "container:netowner"), "readlink /proc/self/ns/net").strip()).isEqualTo(ownerNs);
        assertThat(in(List.of("--network", "container:" + owner), "readlink /proc/self/ns/net").strip()).isEqualTo(ownerNs);
        docker.ok("rm", "-f", owner);
    }

    @Test
    void oomKillIsReported() {
        Result r = docker.run("run", "--name", "oom", "--memory", "8m", "--memory-swap", "8m", "busybox", "sh", "-c",
                "x=a; while true; do x=$x$x; done");
        assertThat(r.exit()).as(r.toString()).isEqualTo(137);
        assertThat(field(docker, "oom", "{{.State.OOMKilled}} {{.State.ExitCode}}")).isEqualTo("true 137");
        docker.ok("rm", "oom");
    }
}
