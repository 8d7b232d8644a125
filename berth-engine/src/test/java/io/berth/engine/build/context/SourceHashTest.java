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

    /** Keys dockerd 20.10 wrote for a context sent by the docker CLI (root-owned d/e/f, "x\n", 0644; dirs 0755). */
    @Test
    void directoryKeysAreDockerds() throws IOException {
        Files.createDirectories(root.resolve("d/e"));
        Files.writeString(root.resolve("d/e/f"), "x\n");
        Files.setPosixFilePermissions(root.resolve("d"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root.resolve("d/e"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root.resolve("d/e/f"), PosixFilePermissions.fromString("rw-r--r--"));
        SourceHash asRoot = new SourceHash(ownedByRoot(), root);

        assertThat(asRoot.dir("d/e", p -> false)).isEqualTo("dir:333f628daaf50800c0c9a5ec1864bee07d006745315b019b02e2a2ca4776b817");
        assertThat(asRoot.dir("d", p -> false)).isEqualTo("dir:6575055e118ede800b8ffbb3c5558623c8888783cf4e37b5dd5d4c50fcd9de97");
    }

    @Test
    void theRootItselfIsNotPartOfItsKey() throws IOException {
        Files.writeString(root.resolve("a"), "1");
        String before = dir("");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        assertThat(dir("")).isEqualTo(before);
    }

    /** The real file system, every entry owned by root (uid and gid 0), so the keys do not depend on who runs the test. */
    private static Sys ownedByRoot() {
        return (Sys) java.lang.reflect.Proxy.newProxyInstance(Sys.class.getClassLoader(), new Class<?>[] {Sys.class},
                (proxy, method, args) -> {
                    Object r;
                    try {
                        r = method.invoke(SYS, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    return r instanceof Sys.LStat st ? new Sys.LStat(st.mode(), 0, 0, st.ino(), st.dev(), st.nlink(), st.size(),
                            st.rdevMajor(), st.rdevMinor(), st.mtimeSec(), st.mtimeNsec()) : r;
                });
    }
}
