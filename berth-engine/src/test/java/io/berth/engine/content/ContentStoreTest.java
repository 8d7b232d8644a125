package io.berth.engine.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;

import io.berth.oci.content.ContentStoreContract;
import io.berth.oci.content.ContentWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's blob store passes the content store contract, and keeps partial writes out of {@code blobs/}. */
class ContentStoreTest extends ContentStoreContract {
    @TempDir Path root;

    @Override protected Roles newStore() {
        ContentStore store = new ContentStore(root);
        return new Roles(store, store, store);
    }

    @Test void ingestsLiveUnderIngestUntilCommitted() throws Exception {
        ContentStore store = new ContentStore(root);
        try (ContentWriter w = store.writer()) {
            w.write(HELLO);
            w.flush();
            try (var s = Files.list(root.resolve("ingest"))) {
                assertThat(s.count()).isEqualTo(1);
            }
            w.commit(HELLO_DIGEST, 5);
        }
        assertThat(store.path(HELLO_DIGEST)).hasBinaryContent(HELLO);
        try (var s = Files.list(root.resolve("ingest"))) {
            assertThat(s.count()).isZero();
        }
    }

    @Test void aLayerWriterVerifiesAndPublishesAsTheDurableOneDoes() throws Exception {
        ContentStore store = new ContentStore(root);
        try (ContentWriter w = store.layerWriter()) {
            w.write(HELLO);
            assertThatThrownBy(() -> w.commit(HELLO_DIGEST, 6)).isInstanceOf(BerthException.InvalidArgument.class);
        }
        assertThat(store.path(HELLO_DIGEST)).doesNotExist();
        try (ContentWriter w = store.layerWriter()) {
            w.write(HELLO);
            assertThat(w.commit(HELLO_DIGEST, 5)).isEqualTo(HELLO_DIGEST);
        }
        assertThat(store.path(HELLO_DIGEST)).hasBinaryContent(HELLO);
        try (var s = Files.list(root.resolve("ingest"))) {
            assertThat(s.count()).isZero();
        }
    }
}
