package io.berth.engine.content;

import io.berth.api.errors.BerthException;
import io.berth.oci.Digest;
import io.berth.oci.content.ContentIngester;
import io.berth.oci.content.ContentManager;
import io.berth.oci.content.ContentProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Content-addressed blobs under {@code <root>/blobs/sha256/<hex>}. Writes go through
 * {@code <root>/ingest/} and become visible only by an atomic rename after their digest (and size,
 * when known) is verified, so a crash never leaves a wrong or partial blob visible. Consumers take
 * the role they need: {@link ContentProvider}, {@link ContentIngester} or {@link ContentManager}.
 */
public final class ContentStore implements ContentProvider, ContentIngester, ContentManager {
    private final Path blobs;
    private final Path ingest;

    public ContentStore(Path root) {
        this.blobs = root.resolve("blobs").resolve("sha256");
        this.ingest = root.resolve("ingest");
        try {
            Files.createDirectories(blobs);
            AtomicFiles.deleteTree(ingest); // partial writes of a previous run are never resumed by name
            Files.createDirectories(ingest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open content store " + root, e);
        }
    }

    public Path path(Digest d) { return blobs.resolve(d.hex()); }

    @Override public boolean exists(Digest d) { return Files.exists(path(d)); }

    @Override public long size(Digest d) {
        try {
            return Files.size(path(d));
        } catch (NoSuchFileException e) {
            throw new BerthException.NotFound("blob " + d + " not found");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override public InputStream open(Digest d) throws IOException {
        try {
            return Files.newInputStream(path(d));
        } catch (NoSuchFileException e) {
            throw new BerthException.NotFound("blob " + d + " not found");
        }
    }

    @Override public byte[] read(Digest d) throws IOException {
        try {
            return Files.readAllBytes(path(d));
        } catch (NoSuchFileException e) {
            throw new BerthException.NotFound("blob " + d + " not found");
        }
    }

    /** Starts a new ingest under {@code ingest/}; commit or abort it (close aborts when not committed). */
    @Override public BlobWriter writer() throws IOException { return new BlobWriter(ingest, blobs, true); }

    /**
     * An ingest for a layer blob that is unpacked as it streams in: its data is not fsynced before the rename, as the
     * unpacked files that come with it are not either (moby syncs neither). A {@code kill -9} loses nothing the page
     * cache holds; the rename still makes the blob visible whole or not at all.
     */
    public BlobWriter layerWriter() throws IOException { return new BlobWriter(ingest, blobs, false); }

    @Override public void delete(Digest d) throws IOException { Files.deleteIfExists(path(d)); }

    @Override public Set<Digest> list() throws IOException {
        Set<Digest> out = new HashSet<>();
        try (Stream<Path> s = Files.list(blobs)) {
            s.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.length() == 64 && Digest.isDigest("sha256:" + name)) out.add(Digest.ofHex(name));
            });
        }
        return out;
    }
}
