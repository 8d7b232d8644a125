package io.berth.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.registry.spec.BlobDigest;
import io.berth.registry.spec.RegistryError;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
    @TempDir Path root;

    @Test void ingestLeftoversOfACrashAreDroppedAndNeverServed() throws Exception {
        BlobStore blobs = new BlobStore(root);
        Files.write(root.resolve("ingest/half.tmp"), new byte[] {1, 2, 3});
        blobs = new BlobStore(root);
        try (Stream<Path> s = Files.list(root.resolve("ingest"))) {
            assertThat(s.count()).isZero();
        }
        assertThat(blobs.count()).isZero();
        byte[] data = "abc".getBytes();
        BlobDigest d = BlobDigest.sha256(data);
        assertThat(blobs.ingest(new ByteArrayInputStream(data), d, Long.MAX_VALUE)).isEqualTo(3);
        assertThat(new BlobStore(root).count()).isEqualTo(1);
        assertThat(new BlobStore(root).bytes()).isEqualTo(3);
        BlobDigest wrong = BlobDigest.sha256("x".getBytes());
        final BlobStore b = blobs;
        assertThatThrownBy(() -> b.ingest(new ByteArrayInputStream(data), wrong, Long.MAX_VALUE))
                .isInstanceOf(RegistryError.class).extracting(e -> ((RegistryError) e).code()).isEqualTo("DIGEST_INVALID");
        assertThat(blobs.has(wrong)).isFalse();
    }

    @Test void sha512BlobsAreVerifiedToo() throws Exception {
        BlobStore blobs = new BlobStore(root);
        byte[] data = "sha512 content".getBytes();
        BlobDigest d = BlobDigest.of("sha512", data);
        blobs.ingest(new ByteArrayInputStream(data), d, Long.MAX_VALUE);
        assertThat(Files.readAllBytes(blobs.path(d))).isEqualTo(data);
    }

    @Test void unacknowledgedBytesOfAnUploadAreDroppedAfterACrash() throws Exception {
        BlobStore blobs = new BlobStore(root);
        Uploads uploads = new Uploads(root, blobs, Clock.systemUTC());
        var u = uploads.start("r");
        u = uploads.append(u, 0, new ByteArrayInputStream("hello ".getBytes()), null);
        // a chunk half-written when the process died: on disk, never acknowledged
        Files.write(root.resolve("uploads").resolve(u.id()).resolve("data"), "garbage".getBytes(), StandardOpenOption.APPEND);
        Uploads restarted = new Uploads(root, blobs, Clock.systemUTC());
        var again = restarted.get("r", u.id());
        assertThat(again.offset()).isEqualTo(6);
        again = restarted.append(again, 6, new ByteArrayInputStream("world".getBytes()), null);
        byte[] all = "hello world".getBytes();
        restarted.finish(again, BlobDigest.sha256(all));
        assertThat(Files.readAllBytes(blobs.path(BlobDigest.sha256(all)))).isEqualTo(all);
        assertThatThrownBy(() -> restarted.get("r", "00000000-0000-0000-0000-000000000000")).isInstanceOf(RegistryError.class);
    }

    @Test void uploadsOfAnotherRepositoryAreUnknownAndIdleOnesExpire() throws Exception {
        BlobStore blobs = new BlobStore(root);
        Uploads uploads = new Uploads(root, blobs, Clock.systemUTC());
        var u = uploads.start("a");
        assertThatThrownBy(() -> uploads.get("b", u.id())).isInstanceOf(RegistryError.class);
        assertThatThrownBy(() -> uploads.get("a", "../../etc")).isInstanceOf(RegistryError.class);
        assertThat(uploads.expire(System.currentTimeMillis() - 60_000)).isZero();
        assertThat(uploads.expire(System.currentTimeMillis() + 60_000)).isEqualTo(1);
        assertThat(uploads.inProgress()).isZero();
    }

    @Test void repositoryLinksSurviveARestart() throws Exception {
        Repositories repos = new Repositories(root);
        var r = repos.open("team/app");
        BlobDigest d = BlobDigest.sha256("x".getBytes());
        repos.linkLayer(r, d);
        repos.putManifest(r, d, "application/vnd.oci.image.manifest.v1+json");
        repos.putTag(r, "v1", d);
        repos.putReferrer(r, d, d, "{}".getBytes());
        Repositories again = new Repositories(root);
        assertThat(again.names()).containsExactly("team/app");
        var r2 = again.find("team/app");
        assertThat(again.hasLayer(r2, d)).isTrue();
        assertThat(again.tag(r2, "v1")).isEqualTo(d);
        assertThat(again.manifestType(r2, d)).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(again.referrers(r2, d)).hasSize(1);
        assertThat(again.find("other")).isNull();
    }
}
