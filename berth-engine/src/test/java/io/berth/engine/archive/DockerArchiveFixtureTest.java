package io.berth.engine.archive;

import io.berth.engine.sys.Sys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.berth.engine.archive.LayerApplierTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The docker-archive written by Docker Engine (see ../shared/fixtures/README.md), unpacked and mounted as overlayfs. */
class DockerArchiveFixtureTest {
    static final Sys SYS = Sys.linux();
    @TempDir Path tmp;

    static Path fixture(String name) {
        Path d = Path.of("").toAbsolutePath();
        for (; d != null; d = d.getParent()) {
            Path f = d.resolve("shared/fixtures").resolve(name);
            if (Files.isRegularFile(f)) return f;
        }
        return fail("fixture " + name + " not found in a shared/fixtures directory above " + Path.of("").toAbsolutePath());
    }

    @Test
    void unpackAndMountTheThreeLayers() throws IOException {
        Map<String, Path> unpacked = new HashMap<>();
        String manifest = null;
        LayerApplier applier = new LayerApplier(SYS);
        try (InputStream in = Files.newInputStream(fixture("layers.docker-archive.tar"));
             TarReader archive = new TarReader(in)) {
            TarEntry e;
            while ((e = archive.next()) != null) {
                if (e.name().endsWith("/layer.tar")) {
                    Path dir = Files.createDirectory(tmp.resolve("layer-" + unpacked.size()));
                    applier.apply(archive.content(), dir); // streamed straight out of the archive
                    unpacked.put(e.name(), dir);
                } else if (e.name().equals("manifest.json")) {
                    manifest = new String(archive.content().readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        assertThat(manifest).isNotNull();
        Matcher layersJson = Pattern.compile("\"Layers\"\\s*:\\s*\\[([^]]*)]").matcher(manifest);
        assertThat(layersJson.find()).isTrue();
        List<Path> order = new ArrayList<>(); // bottom first
        Matcher m = Pattern.compile("\"([^\"]+)\"").matcher(layersJson.group(1));
        while (m.find()) order.add(unpacked.get(m.group(1)));
        assertThat(order).hasSize(3).doesNotContainNull();
        Path l1 = order.get(0), l2 = order.get(1), l3 = order.get(2);

        // The lower layers themselves, in overlay format
        assertThat(SYS.lstat(l3.resolve("etc/group")).isCharDevice()).isTrue();
        assertThat(SYS.lstat(l3.resolve("data/gone")).isCharDevice()).isTrue();
        assertThat(SYS.lgetxattr(l3.resolve("data/sub"), "trusted.overlay.opaque")).isEqualTo(new byte[] {'y'});
        assertThat(SYS.lstat(l1.resolve("tmp")).perm()).isEqualTo(01777);
        assertThat(SYS.lstat(l1.resolve("bin/busybox")).isRegular()).isTrue();

        Path merged = Files.createDirectory(tmp.resolve("merged"));
        SYS.mount("overlay", merged, "overlay", Sys.MS_RDONLY, "lowerdir=" + l3 + ":" + l2 + ":" + l1);
        try {
            assertThat(list(merged.resolve("data"))).containsExactly("a", "hard", "link", "sub");
            Sys.LStat a = SYS.lstat(merged.resolve("data/a"));
            Sys.LStat hard = SYS.lstat(merged.resolve("data/hard"));
            assertThat(hard.ino()).isEqualTo(a.ino());
            assertThat(a.nlink()).isEqualTo(2);
            assertThat(a.perm()).isEqualTo(0640);
            assertThat(Files.readString(merged.resolve("data/a"))).isEqualTo("one\n");
            assertThat(Files.readSymbolicLink(merged.resolve("data/link")).toString()).isEqualTo("/data/a");
            assertThat(list(merged.resolve("data/sub"))).containsExactly("c");
            assertThat(Files.readString(merged.resolve("data/sub/c"))).isEqualTo("new\n");
            assertThat(Files.exists(merged.resolve("data/gone"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(Files.exists(merged.resolve("etc/group"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(Files.isRegularFile(merged.resolve("etc/passwd"))).isTrue();
            assertThat(SYS.lstat(merged.resolve("tmp")).perm()).isEqualTo(01777);
        } finally {
            SYS.umount(merged, Sys.MNT_DETACH);
        }
    }
}
