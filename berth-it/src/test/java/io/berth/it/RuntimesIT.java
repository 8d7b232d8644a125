package io.berth.it;

import static io.berth.it.support.Containers.field;
import static io.berth.it.support.Containers.runDetached;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Cmd;
import io.berth.it.support.Containers;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Mounts;
import io.berth.it.support.Project;
import io.berth.it.support.Requirements;
import io.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, goal 2: crun is the default runtime where it is installed, runc is selectable per container
 * ({@code docker run --runtime}) and as the default ({@code --default-runtime}); {@code docker info} lists
 * both; each container keeps its runtime (inspect's {@code HostConfig.Runtime}, and every later command)
 * across a restart of berthd; limits apply under crun on this hybrid cgroup host, where crun runs behind
 * berth-runtime-ns in a mount namespace made for each call, which sees the host's mounts of that moment.
 */
class RuntimesIT {

    @Test
    void bothRuntimesRunContainersAndEachKeepsItsOwnAcrossARestart() throws Exception {
        Path config = Files.createTempFile("berth-runtimes-", ".json");
        Files.writeString(config, "{\"default-runtime\": \"crun\"}");
        try (BerthDaemon d = BerthDaemon.builder().arg("--config-file", config.toString()).build()) {
            d.start();
            DockerCli docker = d.docker();
            Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");

            assertThat(docker.ok("info", "--format", "{{json .Runtimes}}")).contains("\"crun\"").contains("\"runc\"");
            assertThat(docker.ok("info", "--format", "{{.DefaultRuntime}}").strip()).isEqualTo("crun");

            assertThat(docker.ok("run", "--rm", "--runtime", "runc", "busybox", "echo", "by runc")).isEqualTo("by runc\n");
            assertThat(docker.ok("run", "--rm", "--runtime", "crun", "busybox", "echo", "by crun")).isEqualTo("by crun\n");
            Result unknown = docker.run("run", "--rm", "--runtime", "kata", "busybox", "true");
            assertThat(unknown.exit()).isEqualTo(125);
            assertThat(unknown.err()).contains("Unknown runtime specified kata");

            String byDefault = runDetached(docker, "-m", "64m", "busybox", "sleep", "300");
            String byRunc = runDetached(docker, "--runtime", "runc", "-m", "48m", "busybox", "sleep", "300");
            assertThat(field(docker, byDefault, "{{.HostConfig.Runtime}}")).isEqualTo("crun");
            assertThat(field(docker, byRunc, "{{.HostConfig.Runtime}}")).isEqualTo("runc");
            // the memory limit is applied under crun (v1 controllers: crun runs without the cgroup2 mount in sight)
            assertThat(Files.readString(Path.of("/sys/fs/cgroup/memory/berth", byDefault, "memory.limit_in_bytes")).strip())
                    .isEqualTo(Long.toString(64L << 20));
            assertThat(docker.ok("exec", byDefault, "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes").strip())
                    .isEqualTo(Long.toString(64L << 20));
            assertThat(Files.readString(Path.of("/sys/fs/cgroup/memory/berth", byRunc, "memory.limit_in_bytes")).strip())
                    .isEqualTo(Long.toString(48L << 20));

            // the default changes; each container keeps the runtime it was made with, for every command
            assertThat(d.terminate()).isZero();
            Files.writeString(config, "{\"default-runtime\": \"runc\"}");
            d.restart();
            assertThat(docker.ok("info", "--format", "{{.DefaultRuntime}}").strip()).isEqualTo("runc");
            for (String id : new String[] {byDefault, byRunc}) {
                assertThat(field(docker, id, "{{.State.Status}}")).isEqualTo("running");
                assertThat(docker.ok("exec", id, "echo", "hi")).isEqualTo("hi\n");
                docker.ok("pause", id);
                assertThat(field(docker, id, "{{.State.Status}}")).isEqualTo("paused");
                docker.ok("unpause", id);
                docker.ok("update", "-m", "96m", "--memory-swap", "-1", id);
                assertThat(Files.readString(Path.of("/sys/fs/cgroup/memory/berth", id, "memory.limit_in_bytes")).strip())
                        .isEqualTo(Long.toString(96L << 20));
                Path pidsMax = Path.of("/sys/fs/cgroup/pids/berth", id, "pids.max");
                docker.ok("update", "--pids-limit", "40", id);
                assertThat(Files.readString(pidsMax).strip()).isEqualTo("40");
                docker.ok("update", "--pids-limit", "-1", id); // none: runc writes "max", crun the kernel's highest count
                assertThat(Files.readString(pidsMax).strip()).isIn("max", "4194304");
            }
            assertThat(field(docker, byDefault, "{{.HostConfig.Runtime}}")).isEqualTo("crun");
            String later = runDetached(docker, "busybox", "sleep", "300");
            assertThat(field(docker, later, "{{.HostConfig.Runtime}}")).isEqualTo("runc");
            docker.ok("rm", "-f", byDefault, byRunc, later);
            for (String id : new String[] {byDefault, byRunc, later}) {
                Containers.assertNoLeftovers(d, id);
            }
        } finally {
            Files.deleteIfExists(config);
        }
    }

    @Test
    void aRuntimeAddedByFlagRunsAndTheDaemonRefusesBadRuntimeSettings() {
        try (BerthDaemon d = BerthDaemon.builder().arg("--add-runtime", "fast=/usr/bin/crun").build()) {
            d.start();
            DockerCli docker = d.docker();
            Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");
            assertThat(docker.ok("info", "--format", "{{json .Runtimes}}")).contains("\"fast\":{\"path\":\"/usr/bin/crun\"}");
            assertThat(docker.ok("run", "--rm", "--runtime", "fast", "busybox", "echo", "fast")).isEqualTo("fast\n");
        }
        try (BerthDaemon d = BerthDaemon.builder().arg("--default-runtime", "kata").build()) {
            d.launch();
            assertThat(d.awaitExit(java.time.Duration.ofSeconds(20))).isNotZero();
            assertThat(d.logTail(20)).contains("specified default runtime 'kata' does not exist");
        }
    }

    @Test
    void crunSeesABindSourceMountedAfterTheDaemonStartedAndHoldsNothingOnceTheContainerIsGone() throws Exception {
        Requirements.require(Files.isExecutable(Project.runtimeLauncher()), "berth-runtime-ns is not built (bin/setup runs bin/lib/runtime-ns)");
        try (BerthDaemon d = BerthDaemon.builder().build()) {
            d.start();
            DockerCli docker = d.docker();
            Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");
            Path source = d.scratch().resolve("mounted-later");
            Files.createDirectories(source);
            Files.writeString(source.resolve("beneath"), "what a stale copy of the host's mounts would show\n");
            Cmd.of("mount", "-t", "tmpfs", "-o", "size=1m", "berth-it-later", source.toString()).run().ok();
            try {
                Files.writeString(source.resolve("marker"), "on the tmpfs\n");
                assertThat(docker.ok("run", "--rm", "--runtime", "crun", "-v", source + ":/later", "busybox", "cat", "/later/marker"))
                        .isEqualTo("on the tmpfs\n");
                String id = runDetached(docker, "--runtime", "crun", "-v", source + ":/later:ro", "busybox", "sleep", "300");
                assertThat(docker.ok("exec", id, "ls", "/later")).isEqualTo("marker\n");
                docker.ok("rm", "-f", id);
                Result umount = Cmd.of("umount", source.toString()).run();
                assertThat(umount.exit()).as("umount once the containers are gone: %s", umount.err()).isZero();
                assertThat(Files.readString(source.resolve("beneath"))).startsWith("what a stale");
            } finally {
                for (String m : Mounts.under(source).reversed()) Cmd.of("umount", "-l", m).run();
            }
        }
    }

    /**
     * crun's create runs in a namespace without the other containers' mounts (berth-runtime-ns drops the directories
     * they are under and keeps the new container's root file system and network namespace), while the host keeps them
     * all. A runtime named crun* that records what it sees under the exec root, then runs crun, is the witness.
     */
    @Test
    void crunCreatesWithoutTheOtherContainersMountsWhileTheHostKeepsThem() throws Exception {
        Requirements.require(Files.isExecutable(Project.runtimeLauncher()), "berth-runtime-ns is not built (bin/setup runs bin/lib/runtime-ns)");
        Path dir = Files.createTempDirectory("berth-crunspy-");
        Path spy = dir.resolve("crun-spy");
        Path seen = dir.resolve("seen");
        try (BerthDaemon d = BerthDaemon.builder().arg("--add-runtime", "crunspy=" + spy).build()) {
            Files.writeString(spy, """
                    #!/bin/sh
                    case " $* " in *" create "*) awk -v q="%s/" 'index($5, q) == 1 { print $5 }' /proc/self/mountinfo > "%s" ;; esac
                    exec /usr/bin/crun "$@"
                    """.formatted(d.execRoot().toAbsolutePath(), seen));
            Files.setPosixFilePermissions(spy, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            d.start();
            DockerCli docker = d.docker();
            Images.importBusybox(docker, "busybox:latest", "CMD [\"sh\"]");
            String other = runDetached(docker, "busybox", "sleep", "300");
            String spied = runDetached(docker, "--runtime", "crunspy", "busybox", "sleep", "300");
            java.util.List<String> inRuntime = Files.readAllLines(seen);
            java.util.List<String> onHost = Mounts.under(d.execRoot());
            assertThat(onHost).as("the host keeps every container's mounts").anyMatch(m -> m.contains(other))
                    .anyMatch(m -> m.endsWith(spied + "/rootfs"));
            assertThat(inRuntime).as("crun's namespace at the create").anyMatch(m -> m.endsWith(spied + "/rootfs"))
                    .noneMatch(m -> m.contains(other));
            for (String m : onHost) {
                if (m.contains(spied)) assertThat(inRuntime).as("what the create needs of its own").contains(m);
            }
            assertThat(docker.ok("exec", spied, "cat", "/proc/1/cmdline")).isEqualTo("sleep\u0000300\u0000");
            assertThat(docker.ok("exec", other, "hostname").strip()).isEqualTo(other.substring(0, 12));
            docker.ok("rm", "-f", other, spied);
            for (String id : new String[] {other, spied}) Containers.assertNoLeftovers(d, id);
        } finally {
            Files.deleteIfExists(seen);
            Files.deleteIfExists(spy);
            Files.deleteIfExists(dir);
        }
    }
}
