package io.berth.engine.archive;

import io.berth.engine.sys.Sys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LayerDiffTest {
    static final Sys SYS = Sys.linux();
    @TempDir Path tmp;

    @Test
    void upperDirBecomesDockerLayerAndAppliesBack() throws IOException {
        Path upper = Files.createDirectory(tmp.resolve("upper"));
        Path data = Files.createDirectory(upper.resolve("data"));
        SYS.lsetxattr(data, "trusted.overlay.opaque", new byte[] {'y'});
        Path a = Files.writeString(data.resolve("a"), "one");
        SYS.chmod(a, 0640);
        SYS.lsetxattr(a, "security.capability", TarRoundTripTest.CAP);
        Files.createLink(data.resolve("hard"), a);
        Files.createSymbolicLink(data.resolve("link"), Path.of("/data/a"));
        SYS.mknod(upper.resolve("gone"), Sys.S_IFCHR, 0, 0, 0);
        SYS.mknod(data.resolve("null"), Sys.S_IFCHR, 0666, 1, 3);
        Path t = Files.createDirectory(upper.resolve("tmp"));
        SYS.chmod(t, 01777);

        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(bos)) {
            LayerDiff.write(upper, w, SYS);
        }
        Map<String, TarEntry> byName = new LinkedHashMap<>();
        for (TarRoundTripTest.Read r : TarRoundTripTest.readAll(bos.toByteArray())) byName.put(r.entry().name(), r.entry());
        assertThat(byName.keySet()).containsExactly("data/", "data/.wh..wh..opq", "data/a", "data/hard", "data/link",
                "data/null", ".wh.gone", "tmp/");
        assertThat(byName.get("data/").xattrs()).doesNotContainKey("trusted.overlay.opaque");
        assertThat(byName.get("data/hard").type()).isEqualTo(TarEntry.Type.HARDLINK);
        assertThat(byName.get("data/hard").linkName()).isEqualTo("data/a");
        assertThat(byName.get("data/a").xattrs().get("security.capability")).isEqualTo(TarRoundTripTest.CAP);
        assertThat(byName.get("tmp/").mode()).isEqualTo(01777);

        Path back = Files.createDirectory(tmp.resolve("back"));
        new LayerApplier(SYS).apply(new ByteArrayInputStream(bos.toByteArray()), back);
        assertThat(SYS.lgetxattr(back.resolve("data"), "trusted.overlay.opaque")).isEqualTo(new byte[] {'y'});
        assertThat(SYS.lstat(back.resolve("gone")).isCharDevice()).isTrue();
        assertThat(SYS.lstat(back.resolve("data/a")).nlink()).isEqualTo(2);
        assertThat(SYS.lstat(back.resolve("data/a")).perm()).isEqualTo(0640);
        assertThat(SYS.lgetxattr(back.resolve("data/a"), "security.capability")).isEqualTo(TarRoundTripTest.CAP);
        assertThat(SYS.lstat(back.resolve("data/null")).rdevMinor()).isEqualTo(3);
        assertThat(List.of(LayerApplierTest.list(back))).containsExactly("data", "gone", "tmp");
    }
}
