package io.berth.engine.distribution;

import io.berth.oci.Digest;
import java.util.List;

/**
 * Where each layer blob came from or went to, by registry and repository (moby's V2 metadata): a pull records the
 * repository it fetched a blob from, a push the one it pushed it to, so a later push to another repository of the
 * same registry can mount the blob ({@code POST /v2/<repo>/blobs/uploads/?mount=&from=}) instead of uploading it.
 */
public interface BlobOrigins {
    /** Remembers that {@code registryHost} has {@code blob} in {@code repository} (a path such as {@code library/busybox}). */
    void add(Digest blob, String registryHost, String repository);

    /** The repositories of {@code registryHost} known to hold {@code blob}, most recent first. */
    List<String> repositories(Digest blob, String registryHost);

    /** Remembers nothing. */
    BlobOrigins NONE = new BlobOrigins() {
        @Override public void add(Digest blob, String registryHost, String repository) { }
        @Override public List<String> repositories(Digest blob, String registryHost) { return List.of(); }
    };
}
