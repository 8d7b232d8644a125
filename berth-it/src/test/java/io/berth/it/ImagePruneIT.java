package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.it.support.BerthDaemon;
import io.berth.it.support.Images;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 2: prune, system df, and that deleting images frees the disk. One scenario: it owns the whole store. */
class ImagePruneIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().build();

    @Test
    void pruneDfAndDiskIsFreed() {
        Path blobs = daemon.dataRoot().resolve("content/blobs");
        Path snapshots = daemon.dataRoot().resolve("snapshots");

        daemon.docker().ok("load", "-i", Project.fixture("layers.docker-archive.tar").toString());
        String dangling = Images.importBusybox(daemon.docker(), "prune:x", "ENV N=1");
        String kept = Images.importBusybox(daemon.docker(), "prune:x", "ENV N=2");
        assertThat(Images.allIds(daemon.docker())).containsExactlyInAnyOrder(Images.FIXTURE_ID, dangling, kept);
        assertThat(Images.bytesUnder(blobs)).isGreaterThan(2_000_000L);
        assertThat(Images.bytesUnder(snapshots)).isGreaterThan(2_000_000L);

        // system df: the images part
        Result df = daemon.docker().run("system", "df", "--format", "{{json .}}").ok();
        JsonNode imagesRow = df.lines().stream().map(Images::parse)
                .filter(n -> n.path("Type").asText().equals("Images")).findFirst().orElseThrow();
        assertThat(imagesRow.path("TotalCount").asText()).isEqualTo("3");
        assertThat(imagesRow.path("Active").asText()).isEqualTo("0");
        assertThat(imagesRow.path("Size").asText()).isNotIn("0B", "");
        assertThat(daemon.docker().ok("system", "df")).containsPattern("Images\\s+3\\s+0\\s+");
        Result dfv = daemon.docker().run("system", "df", "-v").ok();
        assertThat(dfv.out()).contains("berth-fixture").contains("prune");

        // prune removes only the dangling one
        Result prune = daemon.docker().run("image", "prune", "-f").ok();
        assertThat(prune.out()).contains("deleted: " + dangling).contains("Total reclaimed space:");
        assertThat(Images.allIds(daemon.docker())).containsExactlyInAnyOrder(Images.FIXTURE_ID, kept);
        // nothing left to prune
        assertThat(daemon.docker().run("image", "prune", "-f").ok().out()).contains("Total reclaimed space: 0B");

        // prune -a removes every unused image
        Result all = daemon.docker().run("image", "prune", "-a", "-f").ok();
        assertThat(all.out()).contains("untagged: " + Images.FIXTURE_REF).contains("deleted: " + Images.FIXTURE_ID)
                .contains("untagged: prune:x").contains("deleted: " + kept);
        assertThat(Images.allIds(daemon.docker())).isEmpty();
        assertThat(daemon.docker().ok("images", "-q")).isBlank();

        // the disk is freed: no blob and no snapshot left
        assertThat(Images.bytesUnder(blobs)).as("bytes under content/blobs; files: " + Images.filesUnder(blobs)).isLessThan(16 * 1024L);
        assertThat(Images.bytesUnder(snapshots)).as("bytes under snapshots; files: " + Images.filesUnder(snapshots)).isLessThan(16 * 1024L);
        assertThat(Images.bytesUnder(daemon.dataRoot().resolve("content/ingest"))).isZero();

        JsonNode after = daemon.docker().run("system", "df", "--format", "{{json .}}").ok().lines().stream().map(Images::parse)
                .filter(n -> n.path("Type").asText().equals("Images")).findFirst().orElseThrow();
        assertThat(after.path("TotalCount").asText()).isEqualTo("0");
    }

    @Test
    void systemPruneRemovesStoppedContainersDanglingImagesUnusedNetworksAndBuildCache() {
        var docker = daemon.docker();
        Images.importBusybox(docker, "sysprune:base");
        String stopped = docker.ok("create", "--network", "none", "sysprune:base", "true").strip();
        docker.ok("network", "create", "sysprune-net");
        String dangling = Images.importBusybox(docker, "sysprune:x", "ENV N=1");
        Images.importBusybox(docker, "sysprune:x", "ENV N=2"); // takes the tag: the first is dangling now
        Result r = docker.run("system", "prune", "-f").ok();
        assertThat(r.out()).contains("Deleted Containers:").contains(stopped).contains("Deleted Networks:")
                .contains("sysprune-net").contains("Deleted Images:").contains(dangling.replace("sha256:", ""))
                .contains("Total reclaimed space:");
        assertThat(docker.run("network", "inspect", "sysprune-net").exit()).isNotZero();
        docker.ok("rmi", "sysprune:x", "sysprune:base");
    }
}
