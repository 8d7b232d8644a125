package io.berth.engine.build.context;

import io.berth.engine.sys.Sys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SourceHashTest {
    static final Sys SYS = Sys.linux();
    @TempDir Path root;

    private String file(String rel) throws IOException { return new SourceHash(SYS, root).file(rel); }

    private String dir(String rel) throws IOException { return new SourceHash(SYS, root).dir(rel, p -> false); }

    @Test
    void mtimeDoesNotChangeTheKeyButContentAndModeDo() throws IOException {
        Path f = Files.writeString(root.resolve("a.txt"), "hello");
        String first = file("a.txt");
        assertThat(first).matches("file:[0-9a-f]{64}");
        Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(12345)));
        assertThat(file("a.txt")).as("touch keeps the cache").isEqualTo(first);
        Files.writeString(f, "hellO");
        String changed = file("a.txt");
        assertThat(changed).isNotEqualTo(first);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(file("a.txt")).isNotEqualTo(changed);
    }

    @Test
    void theNameIsPartOfTheKey() throws IOException {
        Files.writeString(root.resolve("a"), "same");
        Files.writeString(root.resolve("b"), "same");
        assertThat(file("a")).isNotEqualTo(file("b"));
    }

    @Test
    void directoriesHashEveryEntryBelow() throws IOException {
        Files.createDirectories(root.resolve("d/sub"));
        Files.writeString(root.resolve("d/sub/x"), "x");
        Files.createSymbolicLink(root.resolve("d/link"), Path.of("sub/x"));
        String first = dir("d");
        assertThat(first).matches("dir:[0-9a-f]{64}");
        Files.setLastModifiedTime(root.resolve("d/sub"), FileTime.from(Instant.ofEpochSecond(99)));
        assertThat(dir("d")).isEqualTo(first);
        Files.delete(root.resolve("d/link"));
        Files.createSymbolicLink(root.resolve("d/link"), Path.of("sub/y"));
        assertThat(dir("d")).as("a link's target counts").isNotEqualTo(first);
        String beforeNew = dir("d");
        Files.writeString(root.resolve("d/sub/new"), "");
        assertThat(dir("d")).isNotEqualTo(beforeNew);
        assertThat(new SourceHash(SYS, root).dir("d", p -> p.equals("sub/new"))).as("excluded entries do not count")
                .isEqualTo(beforeNew);
    }

    @Test
    void stableAcrossInstancesAndMultiIsOrdered() throws IOException {
        Files.writeString(root.resolve("a"), "1");
        assertThat(file("a")).isEqualTo(new SourceHash(SYS, root).file("a"));
        String m = SourceHash.multi(List.of("file:1", "file:2"));
        assertThat(m).startsWith("multi:").isNotEqualTo(SourceHash.multi(List.of("file:2", "file:1")));
        assertThat(SourceHash.bytes("EOF", 0644, "x\n".getBytes())).isEqualTo(SourceHash.bytes("EOF", 0644, "x\n".getBytes()))
                .isNotEqualTo(SourceHash.bytes("EOF", 0644, "y\n".getBytes()));
    }
}
