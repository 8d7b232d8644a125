package io.berth.engine.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import io.berth.api.container.ContainerCreateRequest;
import io.berth.api.container.DeviceMapping;
import io.berth.api.container.HostConfig;
import io.berth.api.container.Ulimit;
import io.berth.api.image.ContainerConfig;
import io.berth.api.errors.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecBuilderTest {
    @TempDir Path tmp;

    static final HostDevices FAKE_DEVICES = new HostDevices() {
        @Override public List<LinuxDevice> lookup(String path) {
            if (path.equals("/dev/fuse")) return List.of(new LinuxDevice("/dev/fuse", "c", 10, 229, 0666, 0, 0));
            throw new BerthException.InvalidArgument("no such device " + path);
        }
        @Override public List<LinuxDevice> all() {
            return List.of(new LinuxDevice("/dev/null", "c", 1, 3, 0666, 0, 0),
                    new LinuxDevice("/dev/sda", "b", 8, 0, 0660, 0, 6));
        }
    };

    static final String PROFILE = """
        {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,
         "archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]},
                    {"architecture":"SCMP_ARCH_AARCH64","subArchitectures":["SCMP_ARCH_ARM"]}],
         "syscalls":[
          {"names":["read","write"],"action":"SCMP_ACT_ALLOW","args":[],"includes":{},"excludes":{}},
          {"names":["ptrace"],"action":"SCMP_ACT_ALLOW","args":null,"includes":{"minKernel":"4.8"},"excludes":{}},
          {"names":["arch_prctl"],"action":"SCMP_ACT_ALLOW","includes":{"arches":["amd64","x32"]}},
          {"names":["arm_fadvise64_64"],"action":"SCMP_ACT_ALLOW","includes":{"arches":["arm","arm64"]}},
          {"names":["bpf","clone3"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN"]}},
          {"names":["clone3"],"action":"SCMP_ACT_ERRNO","errnoRet":38,"excludes":{"caps":["CAP_SYS_ADMIN"]}},
          {"names":["clone"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":2114060288,"op":"SCMP_CMP_MASKED_EQ"}],
           "excludes":{"caps":["CAP_SYS_ADMIN"],"arches":["s390","s390x"]}}]}
        """;

    HostFacts host(boolean v2) {
        return new HostFacts(20000, v2, true, "6.1.0-13-amd64", "amd64", 2, Capabilities.ALL_KNOWN,
                () -> Seccomp.parse(PROFILE), Path.of("/usr/bin/docker-init"), FAKE_DEVICES);
    }

    static ContainerConfig image(List<String> entrypoint, List<String> cmd, List<String> env, String user, String wd) {
        return new ContainerConfig("", "", user, false, false, false, null, false, false, false, env, cmd, null, null,
                "", null, wd, entrypoint, null, null, null, null, null, null, null);
    }

    static ContainerCreateRequest req(List<String> entrypoint, List<String> cmd, List<String> env, boolean tty,
            Consumer<HostConfig.Builder> hc) {
        HostConfig.Builder b = HostConfig.builder();
        hc.accept(b);
        return new ContainerCreateRequest(null, null, null, null, null, null, null, tty, null, null, env, cmd, null,
                null, "busybox", null, null, entrypoint, null, null, null, null, null, null, null, b.build(), null);
    }

    ObjectNode build(ContainerConfig img, ContainerCreateRequest r) { return build(img, r, false); }

    ObjectNode build(ContainerConfig img, ContainerCreateRequest r, boolean v2) {
        return SpecBuilder.build(new SpecInput(img, r, "abc", tmp.resolve("rootfs"), "abc123", ResolvedUser.ROOT,
                List.of(), Map.of(), "/berth/abc", host(v2)));
    }

    ObjectNode withHc(Consumer<HostConfig.Builder> hc) {
        return build(image(null, List.of("sh"), null, "", ""), req(null, null, null, false, hc));
    }

    static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
        return out;
    }

    @Test
    void entrypointAndCmdMergeLikeDocker() {
        ContainerConfig img = image(List.of("/ep"), List.of("img-cmd"), null, "", "");
        assertThat(texts(build(img, req(null, null, null, false, b -> {})).at("/process/args")))
                .containsExactly("/ep", "img-cmd");
        assertThat(texts(build(img, req(null, List.of("x"), null, false, b -> {})).at("/process/args")))
                .containsExactly("/ep", "x");
        // a request entrypoint drops the image's cmd
        assertThat(texts(build(img, req(List.of("/other"), null, null, false, b -> {})).at("/process/args")))
                .containsExactly("/other");
        assertThat(texts(build(img, req(List.of("/other"), List.of("a"), null, false, b -> {})).at("/process/args")))
                .containsExactly("/other", "a");
        // --entrypoint "" resets the image's entrypoint
        assertThat(texts(build(img, req(List.of(""), List.of("sh"), null, false, b -> {})).at("/process/args")))
                .containsExactly("sh");
        assertThatThrownBy(() -> build(image(null, null, null, "", ""), req(null, null, null, false, b -> {})))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("No command specified");
        // --init
        assertThat(texts(build(img, req(null, null, null, false, b -> b.init = true)).at("/process/args")))
                .containsExactly("/sbin/docker-init", "--", "/ep", "img-cmd");
        assertThat(build(img, req(null, null, null, false, b -> b.init = true)).toString())
                .contains("{\"destination\":\"/sbin/docker-init\",\"type\":\"bind\",\"source\":\"/usr/bin/docker-init\",\"options\":[\"bind\",\"ro\"]}");
    }

    @Test
    void envMergesWithDefaults() {
        ContainerConfig img = image(null, List.of("sh"), List.of("PATH=/img/bin", "A=img", "B=img"), "", "/work");
        ObjectNode s = build(img, req(null, null, List.of("A=req", "C=req"), true, b -> {}));
        assertThat(texts(s.at("/process/env")))
                .containsExactly("PATH=/img/bin", "HOSTNAME=abc123", "TERM=xterm", "A=req", "C=req", "B=img");
        assertThat(s.at("/process/cwd").asText()).isEqualTo("/work");
        assertThat(s.at("/process/terminal").asBoolean()).isTrue();
        ObjectNode plain = build(image(null, List.of("sh"), null, "", ""), req(null, null, List.of("X=1"), false, b -> {}));
        assertThat(texts(plain.at("/process/env"))).containsExactly("PATH=" + SpecBuilder.DEFAULT_PATH, "HOSTNAME=abc123", "X=1");
        assertThat(plain.at("/process/cwd").asText()).isEqualTo("/");
        assertThat(plain.at("/hostname").asText()).isEqualTo("abc123");
        assertThat(plain.at("/ociVersion").asText()).isEqualTo("1.0.2-dev");
        assertThat(ConfigMerge.replaceOrAppend(List.of("A=1", "B=2"), List.of("A", "C=3"))).containsExactly("B=2", "C=3");
    }

    @Test
    void capabilities() {
        ObjectNode s = withHc(b -> {});
        assertThat(texts(s.at("/process/capabilities/bounding"))).containsExactlyElementsOf(Capabilities.DEFAULT);
        assertThat(texts(s.at("/process/capabilities/effective"))).containsExactlyElementsOf(Capabilities.DEFAULT);
        assertThat(Long.toHexString(Capabilities.toMask(Capabilities.DEFAULT))).isEqualTo("a80425fb");
        List<String> c = Capabilities.tweak(List.of("sys_admin", "CAP_NET_ADMIN"), List.of("mknod", "Cap_Chown"), false,
                Capabilities.ALL_KNOWN);
        assertThat(c).contains("CAP_SYS_ADMIN", "CAP_NET_ADMIN").doesNotContain("CAP_MKNOD", "CAP_CHOWN").hasSize(14);
        assertThat(Capabilities.tweak(List.of("NET_ADMIN"), List.of("ALL"), false, Capabilities.ALL_KNOWN))
                .containsExactly("CAP_NET_ADMIN");
        assertThat(Capabilities.tweak(List.of("all"), List.of("SYS_ADMIN"), false, Capabilities.ALL_KNOWN))
                .hasSize(40).doesNotContain("CAP_SYS_ADMIN");
        assertThatThrownBy(() -> Capabilities.tweak(List.of("FOO"), null, false, Capabilities.ALL_KNOWN))
                .hasMessage("unknown capability: \"CAP_FOO\"");
        assertThat(Capabilities.fromMask(0x1fffeffffffL)).hasSize(40).doesNotContain("CAP_SYS_RESOURCE");
    }

    @Test
    void privileged() {
        ObjectNode s = withHc(b -> b.privileged = true);
        assertThat(s.at("/process/capabilities/bounding")).hasSize(41);
        assertThat(s.at("/linux/seccomp").isMissingNode()).isTrue();
        assertThat(s.at("/linux/maskedPaths").isMissingNode()).isTrue();
        assertThat(s.at("/linux/readonlyPaths").isMissingNode()).isTrue();
        assertThat(s.at("/linux/devices")).hasSize(2);
        assertThat(s.at("/linux/resources/devices").toString()).isEqualTo("[{\"allow\":true,\"access\":\"rwm\"}]");
        assertThat(s.at("/mounts/3/options/0").asText()).isEqualTo("rw"); // /sys
    }

    @Test
    void defaultsOfDocker() {
        ObjectNode s = withHc(b -> {});
        assertThat(texts(s.at("/linux/maskedPaths"))).containsExactlyElementsOf(SpecBuilder.MASKED_PATHS)
                .contains("/sys/devices/virtual/powercap");
        assertThat(texts(s.at("/linux/readonlyPaths"))).containsExactly("/proc/bus", "/proc/fs", "/proc/irq",
                "/proc/sys", "/proc/sysrq-trigger");
        assertThat(s.at("/linux/namespaces").toString()).isEqualTo(
                "[{\"type\":\"mount\"},{\"type\":\"network\"},{\"type\":\"uts\"},{\"type\":\"pid\"},{\"type\":\"ipc\"}]");
        assertThat(build(image(null, List.of("sh"), null, "", ""), req(null, null, null, false, b -> {}), true)
                .at("/linux/namespaces/5/type").asText()).isEqualTo("cgroup");
        List<String> dest = new ArrayList<>();
        s.get("mounts").forEach(m -> dest.add(m.get("destination").asText()));
        assertThat(dest).containsExactly("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm");
        assertThat(s.at("/mounts/6/options").toString()).contains("size=67108864");
        assertThat(s.at("/linux/resources/devices/0").toString()).isEqualTo("{\"allow\":false,\"access\":\"rwm\"}");
        assertThat(s.at("/linux/resources/devices")).hasSize(8);
        assertThat(s.at("/process/rlimits").toString())
                .isEqualTo("[{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":20000}]");
        assertThat(s.at("/process/oomScoreAdj").asInt()).isZero();
        assertThat(s.at("/process/noNewPrivileges").isMissingNode()).isTrue();
        assertThat(s.at("/linux/cgroupsPath").asText()).isEqualTo("/berth/abc");
        assertThat(s.at("/root/readonly").isMissingNode()).isTrue();
        assertThat(withHc(b -> b.readonlyRootfs = true).at("/root/readonly").asBoolean()).isTrue();
    }

    @Test
    void modesMountsAndOptions() {
        ObjectNode s = withHc(b -> {
            b.networkMode = "host"; b.pidMode = "host"; b.ipcMode = "host"; b.utsMode = "host"; b.shmSize = 1L << 20;
            b.tmpfs = Map.of("/run", "size=1m"); b.securityOpt = List.of("no-new-privileges", "seccomp=unconfined");
        });
        assertThat(withHc(b -> b.sysctls = Map.of("net.ipv4.ip_forward", "1")).at("/linux/sysctl").toString())
                .isEqualTo("{\"net.ipv4.ip_forward\":\"1\"}");
        assertThat(s.at("/linux/namespaces").toString()).isEqualTo("[{\"type\":\"mount\"}]");
        assertThat(s.has("hostname")).isFalse();
        assertThat(s.at("/process/noNewPrivileges").asBoolean()).isTrue();
        assertThat(s.at("/linux/seccomp").isMissingNode()).isTrue();
        assertThat(s.toString()).contains("{\"destination\":\"/dev/shm\",\"type\":\"bind\",\"source\":\"/dev/shm\"")
                .contains("{\"destination\":\"/run\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"rw\",\"noexec\",\"nosuid\",\"nodev\",\"size=1m\"]}");
        assertThatThrownBy(() -> withHc(b -> { b.ipcMode = "host"; b.sysctls = Map.of("kernel.shmmax", "1"); }))
                .hasMessage("sysctl 'kernel.shmmax' is not allowed in host IPC namespace");
        assertThatThrownBy(() -> withHc(b -> b.sysctls = Map.of("kernel.panic", "1"))).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> withHc(b -> b.securityOpt = List.of("bogus"))).hasMessage("invalid --security-opt 1: \"bogus\"");
        assertThatThrownBy(() -> withHc(b -> b.pidMode = "weird")).hasMessage("invalid PID mode: weird");
        ObjectNode joined = SpecBuilder.build(new SpecInput(null, req(null, List.of("sh"), null, false,
                b -> b.networkMode = "bridge"), "abc", tmp, "h", ResolvedUser.ROOT,
                List.of(MountSpec.bind("/data/hosts", "/etc/hosts", false), MountSpec.bind("/v", "/a/b/c", true),
                        MountSpec.bind("/w", "/a", false)),
                Map.of("network", Path.of("/run/berth/netns/abc")), null, host(false)));
        assertThat(joined.at("/linux/namespaces/1").toString())
                .isEqualTo("{\"type\":\"network\",\"path\":\"/run/berth/netns/abc\"}");
        List<String> dest = new ArrayList<>();
        joined.get("mounts").forEach(m -> dest.add(m.get("destination").asText()));
        assertThat(dest.subList(7, 10)).containsExactly("/a", "/etc/hosts", "/a/b/c");
        // a user mount on /dev/shm replaces the default
        ObjectNode shm = SpecBuilder.build(new SpecInput(null, req(null, List.of("sh"), null, false, b -> {}), "abc",
                tmp, "h", null, List.of(MountSpec.bind("/x", "/dev/shm", false)), null, null, host(false)));
        assertThat(shm.get("mounts").toString()).doesNotContain("\"source\":\"shm\"");
    }

    @Test
    void ulimits() {
        ObjectNode s = withHc(b -> b.ulimits = List.of(new Ulimit("nofile", 100L, 200L), new Ulimit("nproc", 10L, 10L)));
        assertThat(s.at("/process/rlimits").toString()).isEqualTo(
                "[{\"type\":\"RLIMIT_NOFILE\",\"hard\":200,\"soft\":100},{\"type\":\"RLIMIT_NPROC\",\"hard\":10,\"soft\":10}]");
        assertThatThrownBy(() -> withHc(b -> b.ulimits = List.of(new Ulimit("nofiles", 1L, 1L))))
                .hasMessage("invalid ulimit type: nofiles");
        assertThatThrownBy(() -> withHc(b -> b.ulimits = List.of(new Ulimit("core", 2L, 1L))))
                .hasMessage("ulimit soft limit must be less than or equal to hard limit: 2 > 1");
        assertThat(SpecBuilder.rlimits(null, 5_000_000).toString()).contains("\"hard\":1048576");
    }

    @Test
    void resources() {
        ObjectNode s = withHc(b -> { b.memory = 64L << 20; b.nanoCpus = 1_500_000_000L; b.pidsLimit = 0L;
            b.cpuShares = 512L; b.blkioWeight = 300; b.cpusetCpus = "0-1"; b.oomKillDisable = true; b.memoryReservation = 32L << 20; });
        JsonNode r = s.at("/linux/resources");
        assertThat(r.at("/memory/limit").asLong()).isEqualTo(67108864L);
        assertThat(r.at("/memory/swap").asLong()).isEqualTo(2 * 67108864L);
        assertThat(r.at("/memory/reservation").asLong()).isEqualTo(32L << 20);
        assertThat(r.at("/memory/disableOOMKiller").asBoolean()).isTrue();
        assertThat(r.at("/cpu/quota").asLong()).isEqualTo(150000);
        assertThat(r.at("/cpu/period").asLong()).isEqualTo(100000);
        assertThat(r.at("/cpu/shares").asLong()).isEqualTo(512);
        assertThat(r.at("/cpu/cpus").asText()).isEqualTo("0-1");
        assertThat(r.at("/pids").isMissingNode()).as("no pids limit: a new cgroup's max").isTrue();
        assertThat(r.at("/blockIO/weight").asInt()).isEqualTo(300);
        assertThat(withHc(b -> { b.memory = 64L << 20; b.memorySwap = -1L; }).at("/linux/resources/memory/swap").asLong()).isEqualTo(-1);
        assertThat(withHc(b -> b.pidsLimit = 50L).at("/linux/resources/pids/limit").asLong()).isEqualTo(50);
        assertThat(withHc(b -> {}).at("/linux/resources/memory").isMissingNode()).isTrue();
        assertThatThrownBy(() -> withHc(b -> b.memory = 1L << 20)).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("Minimum memory limit allowed is 6MB");
        assertThatThrownBy(() -> withHc(b -> { b.nanoCpus = 1_000_000_000L; b.cpuPeriod = 50000L; }))
                .hasMessage("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        assertThatThrownBy(() -> withHc(b -> b.nanoCpus = 3_000_000_000L))
                .hasMessage("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available");
        assertThatThrownBy(() -> withHc(b -> { b.memory = 64L << 20; b.memorySwap = 32L << 20; }))
                .hasMessage("Minimum memoryswap limit should be larger than memory limit, see usage");
        assertThatThrownBy(() -> withHc(b -> b.blkioWeight = 5)).hasMessage("Range of blkio weight is from 10 to 1000");
        assertThatThrownBy(() -> withHc(b -> b.cpuQuota = 500L)).hasMessage("CPU cfs quota can not be less than 1ms (i.e. 1000)");
    }

    @Test
    void devices() {
        ObjectNode s = withHc(b -> { b.devices = List.of(new DeviceMapping("/dev/fuse", "/dev/myfuse", "rw"));
            b.deviceCgroupRules = List.of("c 42:* rmw"); });
        assertThat(s.at("/linux/devices").toString()).isEqualTo(
                "[{\"path\":\"/dev/myfuse\",\"type\":\"c\",\"major\":10,\"minor\":229,\"fileMode\":438,\"uid\":0,\"gid\":0}]");
        JsonNode rules = s.at("/linux/resources/devices");
        assertThat(rules.get(8).toString()).isEqualTo("{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rw\"}");
        assertThat(rules.get(9).toString()).isEqualTo("{\"allow\":true,\"type\":\"c\",\"major\":42,\"access\":\"rmw\"}");
        assertThatThrownBy(() -> withHc(b -> b.devices = List.of(new DeviceMapping("/dev/fuse", null, "rwx"))))
                .hasMessage("invalid device mode: rwx");
    }

    @Test
    void seccompConversion() {
        ObjectNode s = withHc(b -> {});
        JsonNode sc = s.at("/linux/seccomp");
        assertThat(sc.get("defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(sc.get("defaultErrnoRet").asInt()).isEqualTo(1);
        assertThat(texts(sc.get("architectures"))).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        String all = sc.get("syscalls").toString();
        assertThat(all).contains("\"ptrace\"", "\"arch_prctl\"").doesNotContain("arm_fadvise64_64", "\"bpf\"");
        assertThat(all).contains("{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}");
        assertThat(all).contains("\"args\":[{\"index\":0,\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]");
        // CAP_SYS_ADMIN flips the gated rules
        String admin = withHc(b -> b.capAdd = List.of("SYS_ADMIN")).at("/linux/seccomp/syscalls").toString();
        assertThat(admin).contains("\"bpf\"").doesNotContain("\"errnoRet\":38").doesNotContain("MASKED_EQ");
        // an old kernel loses ptrace
        JsonNode old = Seccomp.toOci(Seccomp.parse(PROFILE), Capabilities.DEFAULT, "amd64", "4.4.0-1");
        assertThat(old.get("syscalls").toString()).doesNotContain("ptrace");
        JsonNode arm = Seccomp.toOci(Seccomp.parse(PROFILE), Capabilities.DEFAULT, "arm64", "5.10");
        assertThat(texts(arm.get("architectures"))).containsExactly("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
        assertThat(arm.get("syscalls").toString()).contains("arm_fadvise64_64").doesNotContain("arch_prctl");
        assertThat(Seccomp.kernelAtLeast("6.18.44-fc-v782", "4.8")).isTrue();
        assertThat(Seccomp.kernelAtLeast("4.7.1", "4.8")).isFalse();
        // a profile given inline replaces the default
        ObjectNode custom = withHc(b -> b.securityOpt = List.of(
                "seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[]}"));
        assertThat(custom.at("/linux/seccomp/defaultAction").asText()).isEqualTo("SCMP_ACT_ALLOW");
    }

    @Test
    void hostDebianProfileConvertsWhenPresent() {
        JsonNode p = Seccomp.loadDefaultProfile();
        if (p == null) return;
        JsonNode oci = Seccomp.toOci(p, Capabilities.DEFAULT, "amd64", "6.1");
        assertThat(oci.get("architectures").get(0).asText()).isEqualTo("SCMP_ARCH_X86_64");
        assertThat(oci.get("syscalls").toString()).contains("\"read\"").doesNotContain("\"kexec_load\",");
    }

    @Test
    void userResolution() throws Exception {
        Path root = tmp.resolve("r");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                app:x:1000:1000:app:/home/app:/bin/sh
                """);
        Files.writeString(root.resolve("etc/group"), """
                root:x:0:
                app:x:1000:
                wheel:x:10:app,other
                audio:x:29:app
                """);
        assertThat(UserResolver.resolve(root, "", null)).isEqualTo(new ResolvedUser(0, 0, List.of(), "/root"));
        assertThat(UserResolver.resolve(root, "app", null)).isEqualTo(new ResolvedUser(1000, 1000, List.of(10, 29), "/home/app"));
        assertThat(UserResolver.resolve(root, "1000", List.of("audio", "77"))).isEqualTo(
                new ResolvedUser(1000, 1000, List.of(10, 29, 77), "/home/app"));
        assertThat(UserResolver.resolve(root, "app:wheel", null)).isEqualTo(new ResolvedUser(1000, 10, List.of(), "/home/app"));
        assertThat(UserResolver.resolve(root, "4242:4343", null)).isEqualTo(new ResolvedUser(4242, 4343, List.of(), "/"));
        assertThatThrownBy(() -> UserResolver.resolve(root, "xyz", null))
                .isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("unable to find user xyz: no matching entries in passwd file");
        assertThatThrownBy(() -> UserResolver.resolve(root, "app:nogroup", null))
                .hasMessage("unable to find group nogroup: no matching entries in group file");
        // a symlink that points outside the rootfs resolves inside it
        Path evil = tmp.resolve("evil");
        Files.createDirectories(evil.resolve("etc"));
        Path outside = tmp.resolve("outside-passwd");
        Files.writeString(outside, "hacker:x:0:0::/:/bin/sh\n");
        Files.createSymbolicLink(evil.resolve("etc/passwd"), outside);
        assertThatThrownBy(() -> UserResolver.resolve(evil, "hacker", null)).hasMessageContaining("unable to find user hacker");
        Files.createDirectories(evil.resolve(outside.getParent().toString().substring(1)));
        Files.writeString(evil.resolve(outside.toString().substring(1)), "inside:x:5:5::/in:/bin/sh\n");
        assertThat(UserResolver.resolve(evil, "inside", null).uid()).isEqualTo(5);
        Files.createSymbolicLink(evil.resolve("up"), Path.of("../../../../.."));
        assertThat(RootfsPath.resolve(evil, "/up/etc/x")).isEqualTo(evil.resolve("etc/x"));
    }

    @Test
    void specIsPlainOciJson() throws Exception {
        String json = Json.plain().writeValueAsString(withHc(b -> {}));
        assertThat(Json.plain().readTree(json).get("process").get("user").toString()).isEqualTo("{\"uid\":0,\"gid\":0}");
    }
}
