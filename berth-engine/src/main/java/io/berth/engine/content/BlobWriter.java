package io.berth.engine.content;

import io.berth.api.errors.BerthException;
import io.berth.oci.Digest;
import io.berth.oci.content.ContentWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * One ingest into the content store: hashes as it writes, verifies, then renames into place. A durable writer fsyncs
 * the data before the rename; a layer's writer does not (see {@link ContentStore#layerWriter}).
 */
public final class BlobWriter extends ContentWriter {
    private final Path tmp;
    private final Path blobs;
    private final boolean durable;
    private final FileChannel channel;
    private final OutputStream out;
    private final MessageDigest sha = Digest.sha256();
    private long size;
    private boolean done;

    BlobWriter(Path ingest, Path blobs, boolean durable) throws IOException {
        this.tmp = ingest.resolve(UUID.randomUUID().toString());
        this.blobs = blobs;
        this.durable = durable;
        this.channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }

    @Override public void write(int b) throws IOException {
        out.write(b);
        sha.update((byte) b);
        size++;
    }

    @Override public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha.update(b, off, len);
        size += len;
    }

    @Override public long size() { return size; }

    /** Verifies and publishes the blob by an atomic rename into {@code blobs/sha256/}. */
    @Override public Digest commit(Digest expected, long expectedSize) throws IOException {
        if (done) throw new IllegalStateException("blob writer already finished");
        out.flush();
        if (durable) channel.force(false);
        channel.close();
        done = true;
        Digest actual = Digest.of(sha);
        try {
            if (expectedSize >= 0 && expectedSize != size) {
                throw new BerthException.InvalidArgument("blob size mismatch: expected " + expectedSize + " bytes for " + (expected != null ? expected : actual) + ", got " + size);
            }
            if (expected != null && !expected.equals(actual)) {
                throw new BerthException.InvalidArgument("digest mismatch: expected " + expected + ", got " + actual);
            }
            Path target = blobs.resolve(actual.hex());
            if (Files.exists(target)) {
                Files.delete(tmp);
            } else {
                AtomicFiles.moveAtomically(tmp, target);
            }
            return actual;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Aborts unless committed. */
    @Override public void close() throws IOException {
        if (done) return;
        done = true;
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
