package io.berth.engine.archive;

import io.berth.engine.sys.Sys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Berth's tar code against GNU tar (installed on these machines). */
class GnuTarInteropTest {
    static final Sys SYS = Sys.linux();
    static final byte[] CAP = TarRoundTripTest.CAP;
    @TempDir Path tmp;

    static String run(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) throw new IOException(String.join(" ", cmd) + " exited " + rc + ": " + out);
        return out;
    }

    private Path sourceTree() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path longDir = Files.createDirectories(src.resolve("d".repeat(90) + "/" + "e".repeat(90)));
        Files.writeString(longDir.resolve("f".repeat(80)), "long");
        Path ping = Files.writeString(src.resolve("ping"), "ping!");
        SYS.lsetxattr(ping, "security.capability", CAP);
        SYS.lsetxattr(ping, "user.note", new byte[] {0, 1, 2, (byte) 0xfe});
        SYS.chmod(ping, 04755);
        Files.createLink(src.resolve("ping2"), ping);
        Files.createSymbolicLink(src.resolve("sym"), Path.of("l".repeat(120)));
        Path t = Files.createDirectory(src.resolve("tmp"));
        SYS.chmod(t, 01777);
        SYS.mknod(src.resolve("fifo"), Sys.S_IFIFO, 0600, 0, 0);
        SYS.mknod(src.resolve("null"), Sys.S_IFCHR, 0666, 1, 3);
        SYS.lchown(src.resolve("null"), 3_000_000, 42);
        return src;
    }

    private Map<String, TarRoundTripTest.Read> read(Path tar) throws IOException {
        Map<String, TarRoundTripTest.Read> m = new HashMap<>();
        for (TarRoundTripTest.Read r : TarRoundTripTest.readAll(Files.readAllBytes(tar))) m.put(r.entry().name(), r);
        return m;
    }

    @Test
    void readsGnuTarPaxWithXattrs() throws Exception {
        sourceTree();
        Path tar = tmp.resolve("pax.tar");
        run(tmp.resolve("src"), "tar", "--xattrs", "--xattrs-include=*", "--format=pax", "-cf", tar.toString(), ".");
        checkGnuArchive(read(tar));
    }

    @Test
    void readsGnuTarGnuFormat() throws Exception {
        sourceTree();
        Path tar = tmp.resolve("gnu.tar");
        run(tmp.resolve("src"), "tar", "--format=gnu", "-cf", tar.toString(), ".");
        Map<String, TarRoundTripTest.Read> m = read(tar);
        checkGnuArchive(m);
    }

    private void checkGnuArchive(Map<String, TarRoundTripTest.Read> m) {
        String longFile = "./" + "d".repeat(90) + "/" + "e".repeat(90) + "/" + "f".repeat(80);
        assertThat(m.get(longFile).content()).isEqualTo("long".getBytes());
        TarEntry ping = m.get("./ping").entry();
        assertThat(ping.mode()).isEqualTo(04755);
        assertThat(m.get("./ping").content()).isEqualTo("ping!".getBytes());
        if (!ping.xattrs().isEmpty()) {
            assertThat(ping.xattrs().get("security.capability")).isEqualTo(CAP);
            assertThat(ping.xattrs().get("user.note")).isEqualTo(new byte[] {0, 1, 2, (byte) 0xfe});
        }
        TarEntry ping2 = m.get("./ping2").entry();
        assertThat(ping2.type()).isEqualTo(TarEntry.Type.HARDLINK);
        assertThat(ping2.linkName()).isEqualTo("./ping");
        assertThat(m.get("./sym").entry().linkName()).isEqualTo("l".repeat(120));
        assertThat(m.get("./tmp/").entry().type()).isEqualTo(TarEntry.Type.DIR);
        assertThat(m.get("./tmp/").entry().mode()).isEqualTo(01777);
        assertThat(m.get("./fifo").entry().type()).isEqualTo(TarEntry.Type.FIFO);
        TarEntry nul = m.get("./null").entry();
        assertThat(nul.type()).isEqualTo(TarEntry.Type.CHAR);
        assertThat(nul.devMajor()).isEqualTo(1);
        assertThat(nul.devMinor()).isEqualTo(3);
        assertThat(nul.uid()).isEqualTo(3_000_000);
        assertThat(nul.gid()).isEqualTo(42);
    }

    @Test
    void paxXattrsAreRead() throws Exception {
        sourceTree();
        Path tar = tmp.resolve("pax.tar");
        run(tmp.resolve("src"), "tar", "--xattrs", "--xattrs-include=*", "--format=pax", "-cf", tar.toString(), "ping");
        TarEntry ping = read(tar).get("ping").entry();
        assertThat(ping.xattrs().get("security.capability")).isEqualTo(CAP);
        assertThat(ping.xattrs().get("user.note")).isEqualTo(new byte[] {0, 1, 2, (byte) 0xfe});
    }

    @Test
    void gnuTarReadsWhatTarWriterWrites() throws Exception {
        Instant t = Instant.ofEpochSecond(1_600_000_000L);
        String longName = "a".repeat(150) + "/" + "b".repeat(120);
        Path tar = tmp.resolve("berth.tar");
        try (OutputStream out = Files.newOutputStream(tar); TarWriter w = new TarWriter(out)) {
            w.add(TarEntry.dir("dir", 0755, t), null);
            w.add(TarEntry.dir("dir/tmp", 01777, t), null);
            w.addBytes("dir/hello.txt", "hello\n".getBytes(), t);
            w.add(TarEntry.file("dir/ping", 5, 04755, Instant.ofEpochSecond(1_600_000_000L, 250_000_000))
                    .withOwner(1234, 5678)
                    .withXattrs(Map.of("security.capability", CAP, "user.bin", new byte[] {0, '\n', (byte) 0xff})),
                    new ByteArrayInputStream("ping!".getBytes()));
            w.add(TarEntry.hardlink("dir/ping2", "dir/ping", t), null);
            w.add(TarEntry.symlink("dir/sym", "hello.txt", t), null);
            w.add(TarEntry.symlink("dir/longsym", "/" + "t".repeat(200), t), null);
            w.addBytes(longName, "L".getBytes(), t);
            w.add(TarEntry.device("dir/null", TarEntry.Type.CHAR, 0666, 1, 3, t), null);
            w.add(TarEntry.device("dir/fifo", TarEntry.Type.FIFO, 0600, 0, 0, t), null);
        }
        String listing = run(tmp, "tar", "-tvf", tar.toString());
        assertThat(listing).contains("dir/hello.txt", "dir/ping2 link to dir/ping", "dir/sym -> hello.txt", longName,
                "crw-rw-rw-", "prw-------", "drwxrwxrwt", "-rwsr-xr-x 1234/5678");
        Path out = Files.createDirectory(tmp.resolve("out"));
        run(out, "tar", "--xattrs", "--xattrs-include=*", "--same-owner", "-xpf", tar.toString());
        assertThat(Files.readString(out.resolve("dir/hello.txt"))).isEqualTo("hello\n");
        Path ping = out.resolve("dir/ping");
        Sys.LStat st = SYS.lstat(ping);
        assertThat(st.perm()).isEqualTo(04755);
        assertThat(st.uid()).isEqualTo(1234);
        assertThat(st.gid()).isEqualTo(5678);
        assertThat(st.nlink()).isEqualTo(2);
        assertThat(st.mtime()).isEqualTo(Instant.ofEpochSecond(1_600_000_000L, 250_000_000));
        assertThat(SYS.lgetxattr(ping, "security.capability")).isEqualTo(CAP);
        assertThat(SYS.lgetxattr(ping, "user.bin")).isEqualTo(new byte[] {0, '\n', (byte) 0xff});
        assertThat(SYS.lstat(out.resolve("dir/tmp")).perm()).isEqualTo(01777);
        assertThat(Files.readSymbolicLink(out.resolve("dir/longsym")).toString()).isEqualTo("/" + "t".repeat(200));
        assertThat(Files.readString(out.resolve(longName))).isEqualTo("L");
        assertThat(SYS.lstat(out.resolve("dir/null")).rdevMinor()).isEqualTo(3);
        assertThat(SYS.lstat(out.resolve("dir/fifo")).type()).isEqualTo(Sys.S_IFIFO);
        assertThat(List.of(listing.split("\n"))).hasSize(10);
    }
}
