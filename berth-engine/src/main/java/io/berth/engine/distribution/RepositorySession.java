package io.berth.engine.distribution;

import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * One repository on one registry, authorized for pull (and push when opened for it). Requests retry transient
 * failures (connection errors, 5xx, 429) with backoff; authentication challenges are answered inside. Errors are
 * {@link io.berth.api.errors.BerthException}s: NotFound for a missing manifest or blob, Unauthorized when
 * credentials are refused or missing, Unavailable when the registry cannot be reached.
 */
public interface RepositorySession {
    /** The repository, with its registry host: {@code docker.io/library/busybox}, {@code localhost:5000/a/b}. */
    Reference repository();

    /** The manifest or index for a tag or {@code sha256:…} digest, verified; empty when the registry has none. */
    Optional<FetchedManifest> manifest(String tagOrDigest) throws IOException;

    /** The digest the registry holds for a tag ({@code HEAD} of the manifest), without fetching it; empty when none. */
    Optional<Digest> resolve(String tag) throws IOException;

    /**
     * The blob's bytes from {@code offset} (for a resumed download), following redirects without credentials. The
     * stream ends after {@code blob.size()} bytes at most and fails if the registry sends more or fewer; the caller
     * verifies the digest.
     */
    InputStream blob(Descriptor blob, long offset) throws IOException;

    /** Whether the registry has the blob in this repository ({@code HEAD}). */
    boolean exists(Digest blob) throws IOException;

    /** Tries a cross-repository mount of {@code blob} from {@code fromRepository} (a path on the same registry). */
    boolean mount(Digest blob, String fromRepository) throws IOException;

    /** Uploads a blob; {@code data} gives exactly {@code blob.size()} bytes whose digest is {@code blob.digest()}. */
    void upload(Descriptor blob, BlobSource data) throws IOException;

    /** Stores a manifest under {@code tagOrDigest}; returns the digest the registry reports. */
    Digest putManifest(String tagOrDigest, String mediaType, byte[] body) throws IOException;

    /** Every tag of the repository ({@code GET /v2/<name>/tags/list}, following pagination). */
    List<String> tags() throws IOException;

    /** Opens the bytes of a blob to upload, once per attempt. */
    @FunctionalInterface
    interface BlobSource {
        InputStream open() throws IOException;
    }
}
