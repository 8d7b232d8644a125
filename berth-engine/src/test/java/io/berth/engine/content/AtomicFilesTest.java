package io.berth.engine.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path dir;

    private static String read(Path p) throws IOException { return Files.readString(p, StandardCharsets.UTF_8); }

    private long entries() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("d"))) {
            return s.count();
        }
    }

    @Test
    void bothWaysReplaceTheWholeFileAndLeaveNoTemporaryFile() throws IOException {
        Path target = dir.resolve("d/record.json");
        AtomicFiles.write(target, "first, and longer".getBytes(StandardCharsets.UTF_8));
        assertThat(read(target)).isEqualTo("first, and longer");
        AtomicFiles.replace(target, "second".getBytes(StandardCharsets.UTF_8));
        assertThat(read(target)).isEqualTo("second");
        AtomicFiles.write(target, "third".getBytes(StandardCharsets.UTF_8), false);
        assertThat(read(target)).isEqualTo("third");
        AtomicFiles.write(target, "fourth".getBytes(StandardCharsets.UTF_8), true);
        assertThat(read(target)).isEqualTo("fourth");
        assertThat(entries()).isEqualTo(1);
    }

    @Test
    void aReplaceThatCannotLandLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("d/x");
        Files.createDirectories(target.resolve("child")); // a non-empty directory: the rename onto it fails
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.replace(target, new byte[] {1}))
                .isInstanceOf(IOException.class);
        assertThat(target.resolve("child")).isDirectory();
        assertThat(entries()).isEqualTo(1);
    }
}
