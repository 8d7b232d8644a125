package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.GeneratedImage;
import io.berth.it.support.Images;
import io.berth.it.support.Result;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 2: berthd streams images, it does not hold them in memory. A daemon with a 256 MiB heap loads a generated
 * ~1 GiB single-layer image piped into {@code docker load}; then {@code rmi} frees the disk.
 * Size: {@code -Dberth.it.heapImageMiB=1024} (default).
 */
class HeapIT {
    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().jvmArg("-Xmx256m").jvmArg("-XX:+ExitOnOutOfMemoryError").build();

    @Test
    void loadOfAOneGibImageFitsIn256MiBHeap() throws Exception {
        long mib = Long.getLong("berth.it.heapImageMiB", 1024);
        int files = 4;
        GeneratedImage image = new GeneratedImage("berth-heap:big", files, mib * 1024 * 1024 / files, 20240102L);
        String id = image.imageId(); // first pass: computes the layer digest

        Result r = daemon.docker().call("load").stdin(image::writeArchive).timeout(Duration.ofMinutes(10)).run();
        assertThat(daemon.isAlive()).as("berthd survived the load").isTrue();
        assertThat(daemon.logText()).doesNotContain("OutOfMemoryError");
        r.ok();
        assertThat(r.out()).contains("Loaded image: berth-heap:big");

        var img = Images.inspect(daemon.docker(), "berth-heap:big");
        assertThat(img.path("Id").asText()).isEqualTo(id);
        assertThat(img.path("Size").asLong()).isGreaterThanOrEqualTo(image.totalDataBytes());
        long stored = Images.bytesUnder(daemon.dataRoot().resolve("content/blobs")) + Images.bytesUnder(daemon.dataRoot().resolve("snapshots"));
        assertThat(stored).isGreaterThanOrEqualTo(image.totalDataBytes());

        daemon.docker().run("rmi", "berth-heap:big").ok();
        assertThat(Images.bytesUnder(daemon.dataRoot().resolve("content/blobs"))).isLessThan(16 * 1024L);
        assertThat(Images.bytesUnder(daemon.dataRoot().resolve("snapshots"))).isLessThan(16 * 1024L);
        assertThat(daemon.http().ping()).isTrue();
    }
}
