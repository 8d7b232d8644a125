package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Images;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 2: {@code docker import} of the busybox rootfs made by bin/mkrootfs. */
class ImageImportIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @Test
    void importWithChangesAndMessage() {
        String id = daemon.docker().ok("import", "--change", "CMD [\"sh\"]", "--change", "ENV A=b", "-m", "msg",
                Project.busyboxRootfs().toString(), "busybox:imported").strip();
        assertThat(id).matches("sha256:[0-9a-f]{64}");

        Result images = daemon.docker().run("images").ok();
        assertThat(images.lines().getFirst()).containsPattern("REPOSITORY\\s+TAG\\s+IMAGE ID\\s+CREATED\\s+SIZE");
        assertThat(images.out()).containsPattern("busybox\\s+imported\\s+" + id.substring(7, 19));

        JsonNode img = Images.inspect(daemon.docker(), "busybox:imported");
        assertThat(img.path("Id").asText()).isEqualTo(id);
        assertThat(img.path("RepoTags").toString()).contains("busybox:imported");
        assertThat(img.path("Config").path("Cmd").toString()).isEqualTo("[\"sh\"]");
        assertThat(img.path("Config").path("Env").toString()).contains("A=b");
        assertThat(img.path("Comment").asText()).isEqualTo("msg");
        assertThat(img.path("Os").asText()).isEqualTo("linux");
        assertThat(img.path("Architecture").asText()).isEqualTo("amd64");
        assertThat(img.path("RootFS").path("Type").asText()).isEqualTo("layers");
        assertThat(img.path("RootFS").path("Layers").size()).isEqualTo(1);
        assertThat(img.path("Size").asLong()).isGreaterThan(1_000_000L); // busybox alone is ~2 MB
        assertThat(img.path("GraphDriver").path("Name").asText()).isEqualTo("overlay2");

        Result history = daemon.docker().run("history", "--no-trunc", "--format", "{{.ID}}|{{.Comment}}", "busybox:imported").ok();
        assertThat(history.lines()).hasSize(1);
        assertThat(history.lines().getFirst()).isEqualTo(id + "|msg");
    }

    @Test
    void importFromStdin() {
        Result r = daemon.docker().call("import", "-", "busybox:stdin").stdin(Project.busyboxRootfs()).run().ok();
        String id = r.out().strip();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        JsonNode img = Images.inspect(daemon.docker(), "busybox:stdin");
        assertThat(img.path("Id").asText()).isEqualTo(id);
        assertThat(img.path("RootFS").path("Layers").size()).isEqualTo(1);
    }

    @Test
    void sameRootfsGivesSameLayer() {
        String a = Images.importBusybox(daemon.docker(), "same:a", "ENV S=a");
        String b = Images.importBusybox(daemon.docker(), "same:b", "ENV X=1");
        assertThat(a).isNotEqualTo(b);
        List<String> la = new ArrayList<>();
        Images.inspect(daemon.docker(), "same:a").path("RootFS").path("Layers").forEach(n -> la.add(n.asText()));
        List<String> lb = new ArrayList<>();
        Images.inspect(daemon.docker(), "same:b").path("RootFS").path("Layers").forEach(n -> lb.add(n.asText()));
        assertThat(la).isEqualTo(lb);
    }

    @Test
    void importWithBadChangeFails() {
        Result r = daemon.docker().run("import", "--change", "FROBNICATE x", Project.busyboxRootfs().toString(), "bad:change");
        r.failed();
        assertThat(r.err()).contains("FROBNICATE");
        assertThat(daemon.docker().run("image", "inspect", "bad:change").exit()).isNotZero();
    }
}
