package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeLauncherTest {
    @TempDir
    Path tmp;

    private static final ConfiguredRuntime CRUN = new ConfiguredRuntime("crun", "/usr/bin/crun", Path.of("/usr/bin/crun"), List.of());

    /** A cgroup root as crun sees it: v1 hierarchies under a tmpfs, the cgroup2 mount at unified with these controllers. */
    private Path hybrid(String unifiedControllers) throws IOException {
        Path root = tmp.resolve("cgroup");
        Files.createDirectories(root.resolve("memory"));
        Files.createDirectories(root.resolve("unified"));
        Files.writeString(root.resolve("unified/cgroup.controllers"), unifiedControllers);
        return root;
    }

    private Path executable(String name) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void crunRefusesOnlyAHybridHostWhoseCgroup2MountHasControllers() throws IOException {
        assertThat(RuntimeLauncher.crunRefuses(hybrid("hugetlb\n"))).isTrue();
        assertThat(RuntimeLauncher.crunRefuses(hybrid("\n"))).as("no controllers in cgroup2").isFalse();
        Path legacy = tmp.resolve("legacy");
        Files.createDirectories(legacy.resolve("memory"));
        assertThat(RuntimeLauncher.crunRefuses(legacy)).as("no cgroup2 mount").isFalse();
        Path unified = tmp.resolve("v2");
        Files.createDirectories(unified);
        Files.writeString(unified.resolve("cgroup.controllers"), "cpu memory pids\n");
        assertThat(RuntimeLauncher.crunRefuses(unified)).as("cgroup v2 alone").isFalse();
    }

    @Test
    void crunRunsDirectlyWhereItDoesNotRefuseTheHostAndBehindTheLauncherWhereItDoes() throws IOException {
        Path launcher = executable("berth-runtime-ns");
        Path onPath = executable("on-path");
        assertThat(RuntimeLauncher.forCrun(hybrid(""), launcher.toString(), Optional.empty())).isEqualTo(RuntimeLauncher.DIRECT);
        Path refused = hybrid("hugetlb\n");
        assertThat(RuntimeLauncher.forCrun(refused, launcher.toString(), Optional.of(onPath)))
                .as("the property wins").isEqualTo(new RuntimeLauncher.OwnNamespace(launcher));
        assertThat(RuntimeLauncher.forCrun(refused, null, Optional.of(onPath))).isEqualTo(new RuntimeLauncher.OwnNamespace(onPath));
        assertThat(RuntimeLauncher.forCrun(refused, " ", Optional.of(onPath))).isEqualTo(new RuntimeLauncher.OwnNamespace(onPath));
    }

    @Test
    void aMissingLauncherLeavesCrunUnusableWithAMessageSayingWhatToDo() throws IOException {
        Path refused = hybrid("hugetlb\n");
        RuntimeLauncher gone = RuntimeLauncher.forCrun(refused, tmp.resolve("nope").toString(), Optional.of(executable("on-path")));
        assertThat(gone.usable()).isFalse();
        assertThatThrownBy(gone::prefix).isInstanceOf(BerthException.Unavailable.class)
                .hasMessage("crun cannot run on this host's hybrid cgroups without berth-runtime-ns, which is not at " + tmp.resolve("nope")
                        + " (system property berth.runtimeNs) (bin/setup builds it; or choose runc: --runtime runc)");
        assertThat(RuntimeLauncher.forCrun(refused, null, Optional.empty()).usable()).isFalse();
        assertThat(RuntimeLauncher.DIRECT.usable()).isTrue();
    }

    @Test
    void theLauncherIsPutBeforeCrunsBinaryAndAMissingOneStopsTheCommand() {
        Path launcher = Path.of("/opt/berth/berth-runtime-ns");
        Runc crun = new Runc(new RuntimeLauncher.OwnNamespace(launcher), CRUN, Path.of("/run/berth/runtimes/crun"));
        assertThat(crun.prefix()).containsExactly(launcher.toString(), "/usr/bin/crun", "--root=/run/berth/runtimes/crun", "--log-format=json");
        Runc direct = new Runc(RuntimeLauncher.DIRECT, CRUN, Path.of("/r"));
        assertThat(direct.prefix()).containsExactly("/usr/bin/crun", "--root=/r", "--log-format=json");
        Runc missing = new Runc(new RuntimeLauncher.Missing("on PATH"), CRUN, Path.of("/r"));
        assertThatThrownBy(missing::prefix).isInstanceOf(BerthException.Unavailable.class);
    }

    @Test
    void aCreatesLauncherArgumentsGoToTheLauncherAndNowhereWithoutOne() {
        Path launcher = Path.of("/opt/berth/berth-runtime-ns");
        List<String> args = List.of("--keep=/run/berth/containers/c/rootfs", "--drop=/run/berth/containers");
        Runc crun = new Runc(new RuntimeLauncher.OwnNamespace(launcher), CRUN, Path.of("/r"));
        assertThat(crun.prefix(args)).containsExactly(launcher.toString(), "--keep=/run/berth/containers/c/rootfs",
                "--drop=/run/berth/containers", "/usr/bin/crun", "--root=/r", "--log-format=json");
        assertThat(crun.prefix(List.of())).isEqualTo(crun.prefix());
        Runc direct = new Runc(RuntimeLauncher.DIRECT, CRUN, Path.of("/r"));
        assertThat(direct.prefix(args)).containsExactly("/usr/bin/crun", "--root=/r", "--log-format=json");
    }
}
