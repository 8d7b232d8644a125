package io.berth.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A volume's subpath as moby's safepath resolves it: local only, links followed within the volume, present. No root. */
class VolumeSubpathTest {
    @TempDir Path tmp;

    @Test
    void onlyLocalPathsAreTaken() {
        assertThat(VolumeSubpath.isLocal("subdir")).isTrue();
        assertThat(VolumeSubpath.isLocal("a/../b/./c")).isTrue();
        assertThat(VolumeSubpath.isLocal("/etc/passwd")).isFalse();
        assertThat(VolumeSubpath.isLocal("../x")).isFalse();
        assertThat(VolumeSubpath.isLocal("a/../../x")).isFalse();
        assertThat(VolumeSubpath.isLocal("")).isFalse();
    }

    @Test
    void resolvesInsideTheVolumeAndRefusesWhatLeadsOut() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("vol/_data"));
        Files.createDirectories(data.resolve("subdir"));
        Files.writeString(data.resolve("subdir/f.txt"), "x");
        Files.createSymbolicLink(data.resolve("inside"), Path.of("subdir"));
        Files.createSymbolicLink(data.resolve("abs"), Path.of("/etc"));
        Files.createSymbolicLink(data.resolve("up"), Path.of("../.."));

        assertThat(VolumeSubpath.resolve(data, "subdir")).isEqualTo(data.resolve("subdir"));
        assertThat(VolumeSubpath.resolve(data, "inside/f.txt")).isEqualTo(data.resolve("subdir/f.txt"));
        for (String bad : new String[] {"abs", "up/etc", "abs/passwd"}) {
            assertThatThrownBy(() -> VolumeSubpath.resolve(data, bad)).isInstanceOf(BerthException.InvalidArgument.class)
                    .hasMessage("path concatenation escapes the base directory");
        }
        assertThatThrownBy(() -> VolumeSubpath.resolve(data, "missing/x")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessageStartingWith("cannot access path ");
    }
}
