package io.berth.oci.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import io.berth.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every content store passes, through its three roles: blobs are verified on commit, an
 * aborted or refused ingest leaves nothing visible, a missing blob is NotFound.
 */
public abstract class ContentStoreContract {
    /** One store seen through its roles (usually the same object three times). */
    public record Roles(ContentProvider provider, ContentIngester ingester, ContentManager manager) {}

    /** A new, empty store. */
    protected abstract Roles newStore() throws Exception;

    protected static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
    protected static final Digest HELLO_DIGEST = Digest.parse("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");

    private ContentProvider provider;
    private ContentIngester ingester;
    private ContentManager manager;

    @BeforeEach void open() throws Exception {
        Roles r = newStore();
        provider = r.provider();
        ingester = r.ingester();
        manager = r.manager();
    }

    @Test void committedBlobsAreReadByTheirDigest() throws Exception {
        Digest d = ingester.put(HELLO);
        assertThat(d).isEqualTo(HELLO_DIGEST);
        assertThat(provider.exists(d)).isTrue();
        assertThat(provider.size(d)).isEqualTo(5);
        assertThat(provider.read(d)).isEqualTo(HELLO);
        try (InputStream in = provider.open(d)) {
            assertThat(in.readAllBytes()).isEqualTo(HELLO);
        }
        assertThat(manager.list()).containsExactly(d);
        assertThat(ingester.put(new ByteArrayInputStream(HELLO), null)).isEqualTo(d);
        assertThat(manager.list()).containsExactly(d);
    }

    @Test void writersVerifyDigestAndSizeOnCommit() throws Exception {
        try (ContentWriter w = ingester.writer()) {
            w.write(HELLO);
            assertThat(w.size()).isEqualTo(5);
            assertThatThrownBy(() -> w.commit(Digest.of(new byte[0]), -1))
                    .isInstanceOf(BerthException.InvalidArgument.class).hasMessageStartingWith("digest mismatch");
        }
        try (ContentWriter w = ingester.writer()) {
            w.write(HELLO);
            assertThatThrownBy(() -> w.commit(HELLO_DIGEST, 6))
                    .isInstanceOf(BerthException.InvalidArgument.class).hasMessageStartingWith("blob size mismatch");
        }
        assertThatThrownBy(() -> ingester.put(new ByteArrayInputStream(HELLO), Digest.of(new byte[0])))
                .isInstanceOf(BerthException.InvalidArgument.class);
        assertThat(provider.exists(HELLO_DIGEST)).isFalse();
        assertThat(manager.list()).isEmpty();
    }

    @Test void anIngestClosedUncommittedLeavesNothing() throws Exception {
        try (ContentWriter w = ingester.writer()) {
            w.write(HELLO);
        }
        assertThat(provider.exists(HELLO_DIGEST)).isFalse();
        assertThat(manager.list()).isEmpty();
    }

    @Test void missingBlobsAreNotFoundAndDeletesAreIdempotent() throws Exception {
        assertThat(provider.exists(HELLO_DIGEST)).isFalse();
        assertThatThrownBy(() -> provider.size(HELLO_DIGEST)).isInstanceOf(BerthException.NotFound.class);
        assertThatThrownBy(() -> provider.open(HELLO_DIGEST)).isInstanceOf(BerthException.NotFound.class);
        assertThatThrownBy(() -> provider.read(HELLO_DIGEST)).isInstanceOf(BerthException.NotFound.class);
        Digest d = ingester.put(HELLO);
        manager.delete(d);
        manager.delete(d);
        assertThat(provider.exists(d)).isFalse();
        assertThat(manager.list()).isEmpty();
    }
}
