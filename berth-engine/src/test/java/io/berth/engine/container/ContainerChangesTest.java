package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.container.FilesystemChange;
import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker diff hides the container's own mount points (/etc/hostname, hosts, resolv.conf) as Docker's init layer does. */
class ContainerChangesTest {
    @TempDir
    Path tmp;

    private List<String> changes(Path lower, Path upper) throws IOException {
        return new ContainerChanges(Sys.linux(), List.of(lower)).changes(upper).stream()
                .map(c -> (c.kind() == FilesystemChange.ADDED ? "A " : c.kind() == FilesystemChange.DELETED ? "D " : "C ") + c.path())
                .toList();
    }

    private static Path upperWithMountPoints(Path upper) throws IOException {
        Path etc = Files.createDirectories(upper.resolve("etc"));
        for (String f : List.of("hostname", "hosts", "resolv.conf")) Files.writeString(etc.resolve(f), "");
        Files.setLastModifiedTime(etc, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        return upper;
    }

    @Test
    void theMountPointsAndTheirDirectoryAreNotChanges() throws IOException {
        Path lower = Files.createDirectories(tmp.resolve("lower/etc"));
        Files.writeString(lower.resolve("passwd"), "root\n");
        Files.setLastModifiedTime(lower, FileTime.fromMillis(0));
        Path upper = upperWithMountPoints(tmp.resolve("upper"));

        assertThat(changes(tmp.resolve("lower"), upper)).isEmpty();
    }

    @Test
    void anImageWithoutEtcShowsNoEtcEither() throws IOException {
        Path lower = Files.createDirectories(tmp.resolve("lower/bin"));
        Path upper = upperWithMountPoints(tmp.resolve("upper"));

        assertThat(changes(lower.getParent(), upper)).isEmpty();
    }

    @Test
    void otherChangesInEtcStillShowIt() throws IOException {
        Path lower = Files.createDirectories(tmp.resolve("lower/etc"));
        Files.writeString(lower.resolve("passwd"), "root\n");
        Path upper = upperWithMountPoints(tmp.resolve("upper"));
        Files.writeString(upper.resolve("etc/x"), "x");
        Files.writeString(upper.resolve("etc/passwd"), "root2\n");

        assertThat(changes(tmp.resolve("lower"), upper)).containsExactly("C /etc/passwd", "C /etc", "A /etc/x");
    }
}
