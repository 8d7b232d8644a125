package io.berth.engine.runtime.spec;

import io.berth.engine.testing.Requirements;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.Json;
import io.berth.api.container.ContainerCreateRequest;
import io.berth.api.container.HostConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs specs from {@link SpecBuilder} under the real runc (root, runc and busybox-static needed). */
class RuncSpecTest {
    static final Path RUNC = Path.of("/usr/sbin/runc");
    static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir Path tmp;

    record Result(int exit, String out) {}

    Path bundle(String hostname, String cgroupsPath, ContainerCreateRequest req, String id) throws Exception {
        Path bundle = tmp.resolve("bundle-" + id), rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"));
        for (String tool : List.of("sh", "echo", "id", "cat", "hostname", "grep")) {
            Files.createSymbolicLink(rootfs.resolve("bin/" + tool), Path.of("busybox"));
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
        HostFacts host = HostFacts.probe(null);
        ResolvedUser user = UserResolver.resolve(rootfs, "", List.of());
        var spec = SpecBuilder.build(new SpecInput(null, req, id, rootfs, hostname, user, List.of(), Map.of(),
                cgroupsPath, host));
        Files.writeString(bundle.resolve("config.json"), Json.plain().writeValueAsString(spec));
        return bundle;
    }

    Result run(Path bundle, String id) throws Exception {
        Path out = tmp.resolve("out-" + id);
        Process p = new ProcessBuilder(RUNC.toString(), "--root", tmp.resolve("runc-root").toString(), "run",
                "--bundle", bundle.toString(), id)
                .redirectInput(new File("/dev/null")).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("runc finished").isTrue();
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            new ProcessBuilder(RUNC.toString(), "--root", tmp.resolve("runc-root").toString(), "delete", "-f", id)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(30, TimeUnit.SECONDS);
        }
    }

    static void assumeHost() {
        Requirements.require(Files.isExecutable(RUNC) && Files.isExecutable(BUSYBOX), "runc and busybox-static are not installed");
        Requirements.require("root".equals(System.getProperty("user.name")), "it needs root");
    }

    /** Removes {@code /<parent>/<id>} and {@code /<parent>} in every cgroup hierarchy (v1 controllers and v2). */
    static void removeCgroups(String parent, String id) throws Exception {
        List<Path> hierarchies = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/fs/cgroup"))) {
            s.filter(Files::isDirectory).forEach(hierarchies::add);
        }
        hierarchies.add(Path.of("/sys/fs/cgroup"));
        for (Path h : hierarchies) {
            for (Path d : List.of(h.resolve(parent).resolve(id), h.resolve(parent))) {
                if (Files.isDirectory(d)) Files.delete(d); // rmdir on cgroupfs
            }
        }
        for (Path h : hierarchies) assertThat(h.resolve(parent)).doesNotExist();
    }

    @Test
    void busyboxRunsWithDockerDefaults() throws Exception {
        assumeHost();
        String id = "berth-spec-" + UUID.randomUUID().toString().substring(0, 8);
        String parent = "berth-test-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            ContainerCreateRequest req = ContainerCreateRequest.of("busybox",
                    List.of("sh", "-c", "echo hi; id; hostname; cat /proc/self/status | grep CapEff"), HostConfig.empty());
            Result r = run(bundle("berth-host", "/" + parent + "/" + id, req, id), id);
            assertThat(r.out()).contains("hi\n", "uid=0(root) gid=0(root)", "berth-host\n", "CapEff:\t00000000a80425fb");
            assertThat(r.exit()).as(r.out()).isZero();
        } finally {
            removeCgroups(parent, id);
        }
    }

    @Test
    void memoryLimitLandsInTheCgroup() throws Exception {
        assumeHost();
        String id = "berth-spec-" + UUID.randomUUID().toString().substring(0, 8);
        String parent = "berth-test-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            HostConfig.Builder hc = HostConfig.builder();
            hc.memory = 64L << 20;
            hc.pidsLimit = 100L;
            boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
            String file = v2 ? "/sys/fs/cgroup/memory.max" : "/sys/fs/cgroup/memory/memory.limit_in_bytes";
            ContainerCreateRequest req = ContainerCreateRequest.of("busybox", List.of("sh", "-c", "cat " + file
                    + "; exit 3"), hc.build());
            Path bundle = bundle("mem", "/" + parent + "/" + id, req, id);
            Result r = run(bundle, id);
            assertThat(r.out()).contains("67108864");
            assertThat(r.exit()).as(r.out()).isEqualTo(3);
        } finally {
            removeCgroups(parent, id);
        }
    }
}
