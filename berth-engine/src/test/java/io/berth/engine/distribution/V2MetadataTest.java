package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistent V2 metadata: origins by blob and compressed forms by DiffID survive a reopen. */
class V2MetadataTest {
    @TempDir Path root;

    static Digest d(String s) { return Digest.of(s.getBytes()); }

    @Test
    void originsAreKeptPerRegistryMostRecentFirstAndSurviveAReopen() {
        V2Metadata m = new V2Metadata(root);
        m.add(d("a"), "localhost:5000", "one");
        m.add(d("a"), "localhost:5000", "two");
        m.add(d("a"), "127.0.0.1:5001", "three");
        m.add(d("a"), "localhost:5000", "one");
        assertThat(m.repositories(d("a"), "localhost:5000")).containsExactly("one", "two");
        assertThat(m.repositories(d("a"), "127.0.0.1:5001")).containsExactly("three");
        assertThat(m.repositories(d("b"), "localhost:5000")).isEmpty();

        V2Metadata again = new V2Metadata(root);
        assertThat(again.repositories(d("a"), "localhost:5000")).containsExactly("one", "two");
    }

    @Test
    void keepsAtMostFiftyOrigins() {
        V2Metadata m = new V2Metadata(root);
        for (int i = 0; i < 60; i++) m.add(d("a"), "h", "r" + i);
        assertThat(m.repositories(d("a"), "h")).hasSize(V2Metadata.MAX_ORIGINS).startsWith("r59").doesNotContain("r9");
    }

    @Test
    void compressedFormsAreRememberedAndNamedForCollection() throws Exception {
        V2Metadata m = new V2Metadata(root);
        Descriptor gz = new Descriptor(MediaTypes.OCI_LAYER_GZIP, d("gz"), 42);
        m.rememberCompressed(d("tar"), gz);
        V2Metadata again = new V2Metadata(root);
        assertThat(again.compressed(d("tar"))).contains(gz);
        assertThat(again.compressed(d("other"))).isEmpty();
        assertThat(again.of(Set.of(d("tar"), d("other")))).containsExactly(d("gz"));
        try (var files = Files.list(root.resolve("compressed"))) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(d("tar").hex() + ".json");
        }
    }

    @Test
    void anUnreadableFileCountsAsEmpty() throws Exception {
        V2Metadata m = new V2Metadata(root);
        Files.writeString(root.resolve("origins").resolve(d("a").hex() + ".json"), "{not json");
        assertThat(m.repositories(d("a"), "h")).isEmpty();
        m.add(d("a"), "h", "r");
        assertThat(new V2Metadata(root).repositories(d("a"), "h")).containsExactly("r");
    }
}
