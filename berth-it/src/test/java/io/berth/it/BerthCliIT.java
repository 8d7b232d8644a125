package io.berth.it;

import static io.berth.it.support.Images.FIXTURE_ID;
import static io.berth.it.support.Images.FIXTURE_REF;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.DockerCli;
import io.berth.it.support.Images;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 2's key image checks once more, through Berth's own CLI ({@code io.berth.cli.Main}); docker cross-checks. */
class BerthCliIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @Test
    void importImagesSaveRmiLoad() throws Exception {
        DockerCli berth = daemon.berth();

        String id = berth.ok("import", "--change", "CMD [\"sh\"]", "-m", "via berth", Project.busyboxRootfs().toString(), "bcli:imported").strip();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(Images.inspect(daemon.docker(), "bcli:imported").path("Comment").asText()).isEqualTo("via berth");

        Result load = berth.run("load", "-i", Project.fixture("layers.docker-archive.tar").toString()).ok();
        assertThat(load.out()).contains("Loaded image: " + FIXTURE_REF);
        assertThat(Images.inspect(daemon.docker(), FIXTURE_REF).path("Id").asText()).isEqualTo(FIXTURE_ID);

        Result images = berth.run("images").ok();
        assertThat(images.lines().getFirst()).containsPattern("REPOSITORY\\s+TAG\\s+IMAGE ID\\s+CREATED\\s+SIZE");
        assertThat(images.out()).containsPattern("bcli\\s+imported\\s+" + id.substring(7, 19))
                .containsPattern("berth-fixture\\s+layers\\s+" + FIXTURE_ID.substring(7, 19));
        assertThat(berth.ok("images", "-q", "--no-trunc").lines().toList()).containsExactlyInAnyOrder(id, FIXTURE_ID);

        Path tar = daemon.scratch().resolve("berth-save.tar");
        berth.ok("save", "-o", tar.toString(), FIXTURE_REF, "bcli:imported");
        assertThat(Files.size(tar)).isGreaterThan(1_000_000L);

        Result rmi = berth.run("rmi", FIXTURE_REF, "bcli:imported").ok();
        assertThat(rmi.lines()).contains("Untagged: " + FIXTURE_REF, "Deleted: " + FIXTURE_ID, "Untagged: bcli:imported", "Deleted: " + id);
        assertThat(Images.allIds(daemon.docker())).isEmpty();

        Result reload = berth.run("load", "-i", tar.toString()).ok();
        assertThat(reload.out()).contains("Loaded image: " + FIXTURE_REF).contains("Loaded image: bcli:imported");
        assertThat(Images.inspect(daemon.docker(), "bcli:imported").path("Id").asText()).isEqualTo(id);
        assertThat(Images.inspect(daemon.docker(), FIXTURE_REF).path("Id").asText()).isEqualTo(FIXTURE_ID);

        Result unknown = berth.run("rmi", "nope");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("No such image: nope:latest");
    }

    @Test
    void importFromStdin() {
        Result r = daemon.berth().call("import", "-", "bcli:stdin").stdin(Project.busyboxRootfs()).run().ok();
        assertThat(r.out().strip()).matches("sha256:[0-9a-f]{64}");
        assertThat(Images.inspect(daemon.docker(), "bcli:stdin").path("Id").asText()).isEqualTo(r.out().strip());
    }
}
