package io.berth.engine.image;

import io.berth.engine.content.AtomicFiles;
import io.berth.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A layer unpacked while its blob was being ingested (one read, one hash), waiting for the image
 * that names it: {@code dir/fs} holds the files, {@code diffId} is the digest of the uncompressed tar.
 */
public record StagedLayer(Path dir, Digest diffId, long size) {

    /** Moves the files into a snapshot's (empty) fs directory. */
    public long moveInto(Path fs) throws IOException {
        Files.delete(fs);
        Files.move(dir.resolve("fs"), fs, StandardCopyOption.ATOMIC_MOVE);
        return size;
    }

    /** Deletes the staged files (a layer nobody adopted). */
    public void discard() {
        try {
            AtomicFiles.deleteTree(dir);
        } catch (IOException e) {
            // a leftover tmp- directory is removed at the next start
        }
    }
}
