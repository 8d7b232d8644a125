package io.berth.oci.content;

import io.berth.api.errors.BerthException;
import io.berth.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A content store in memory, for tests of the stores' consumers; it passes {@link ContentStoreContract}. */
public final class MemoryContentStore implements ContentProvider, ContentIngester, ContentManager {
    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();

    @Override public boolean exists(Digest digest) { return blobs.containsKey(digest); }

    @Override public long size(Digest digest) { return blob(digest).length; }

    @Override public InputStream open(Digest digest) { return new ByteArrayInputStream(blob(digest)); }

    @Override public byte[] read(Digest digest) { return blob(digest).clone(); }

    private byte[] blob(Digest digest) {
        byte[] b = blobs.get(digest);
        if (b == null) throw new BerthException.NotFound("blob " + digest + " not found");
        return b;
    }

    @Override public ContentWriter writer() {
        return new ContentWriter() {
            private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

            @Override public void write(int b) { buf.write(b); }

            @Override public void write(byte[] b, int off, int len) { buf.write(b, off, len); }

            @Override public long size() { return buf.size(); }

            @Override public Digest commit(Digest expected, long expectedSize) {
                byte[] data = buf.toByteArray();
                Digest actual = Digest.of(data);
                if (expectedSize >= 0 && expectedSize != data.length) {
                    throw new BerthException.InvalidArgument("blob size mismatch: expected " + expectedSize + " bytes, got " + data.length);
                }
                if (expected != null && !expected.equals(actual)) {
                    throw new BerthException.InvalidArgument("digest mismatch: expected " + expected + ", got " + actual);
                }
                blobs.putIfAbsent(actual, data);
                return actual;
            }
        };
    }

    @Override public Set<Digest> list() { return Set.copyOf(blobs.keySet()); }

    @Override public void delete(Digest digest) { blobs.remove(digest); }
}
