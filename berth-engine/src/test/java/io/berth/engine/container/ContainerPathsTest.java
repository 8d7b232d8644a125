package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.container.MountPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker cp reaches a container's volumes and bind mounts in every state: paths are mapped through its mounts. */
class ContainerPathsTest {
    @TempDir
    Path tmp;
    Path root;
    Path vol;
    Path bind;
    ContainerPaths paths;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("rootfs/etc"));
        root = root.getParent();
        vol = Files.createDirectories(tmp.resolve("volumes/v/_data/sub"));
        vol = vol.getParent();
        bind = Files.createDirectories(tmp.resolve("host"));
        Path hosts = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost\n");
        Files.createSymbolicLink(root.resolve("link"), Path.of("/data/sub"));
        Files.createSymbolicLink(vol.resolve("escape"), Path.of("../../../../.."));
        paths = ContainerPaths.of(root, List.of(
                new MountPoint("volume", "v", vol.toString(), "/data", "local", "z", true, ""),
                new MountPoint("bind", null, bind.toString(), "/data/inner", null, "", false, "rprivate"),
                new MountPoint("tmpfs", null, "", "/run", null, "", true, "")),
                Map.of("/etc/hosts", hosts, "/etc/hostname", tmp.resolve("missing")));
    }

    @Test
    void pathsUnderAMountLieInItsSourceTheDeepestWinning() {
        assertThat(paths.host(List.of("data", "sub", "f"))).isEqualTo(vol.resolve("sub/f"));
        assertThat(paths.host(List.of("data"))).isEqualTo(vol);
        assertThat(paths.host(List.of("data", "inner", "x"))).isEqualTo(bind.resolve("x"));
        assertThat(paths.host(List.of("datax"))).isEqualTo(root.resolve("datax"));
        assertThat(paths.host(List.of("run", "x"))).as("tmpfs has no host side").isEqualTo(root.resolve("run/x"));
        assertThat(paths.host(List.of("etc", "hosts"))).isEqualTo(tmp.resolve("hosts"));
        assertThat(paths.host(List.of("etc", "hostname"))).as("a bound file not written yet").isEqualTo(root.resolve("etc/hostname"));
    }

    @Test
    void theMountHoldingAPathTellsWhetherItIsWritable() {
        assertThat(paths.mountOf(List.of("data", "inner")).rw()).isFalse();
        assertThat(paths.mountOf(List.of("data", "sub")).rw()).isTrue();
        assertThat(paths.mountOf(List.of("etc", "passwd"))).isNull();
    }

    @Test
    void symlinksAreFollowedThroughTheMountsAndStayInScope() throws IOException {
        assertThat(paths.follow("/link/f")).containsExactly("data", "sub", "f");
        assertThat(paths.follow("/data/escape/etc/passwd")).containsExactly("etc", "passwd");
    }
}
