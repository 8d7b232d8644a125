package io.berth.engine.distribution;

import io.berth.api.errors.BerthException;
import io.berth.engine.service.ProgressSink;
import io.berth.oci.Descriptor;
import java.io.IOException;
import java.io.InputStream;

/**
 * Exactly {@code blob.size()} bytes of a blob from a registry, counted on a {@link ProgressMeter}. A transient failure
 * (an I/O error, an unavailable registry) is retried as moby retries a download, resuming at the byte reached
 * ({@link RepositorySession#blob(Descriptor, long)}); a body of another length than the size (a clean early end, a
 * {@link BlobSizeMismatch}) fails verification at once, as moby's digest check would.
 */
final class BlobStream extends InputStream {
    private final RepositorySession session;
    private final Descriptor blob;
    private final RetryPolicy retry;
    private final String id;
    private final ProgressSink progress;
    private final ProgressMeter meter;
    private final Runnable onEnd;
    private InputStream in;
    private long offset;
    private int retries;
    private boolean ended;
    private IOException failed;

    /** {@code onEnd} runs once, when the last byte has been read. */
    BlobStream(RepositorySession session, Descriptor blob, RetryPolicy retry, String id, ProgressSink progress,
               ProgressMeter meter, Runnable onEnd) {
        this.session = session;
        this.blob = blob;
        this.retry = retry;
        this.id = id;
        this.progress = progress;
        this.meter = meter;
        this.onEnd = onEnd;
    }

    @Override public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (failed != null) throw failed;
        if (offset >= blob.size()) {
            if (!ended) {
                ended = true;
                closeSource();
                meter.end();
                onEnd.run();
            }
            return -1;
        }
        int want = (int) Math.min(len, blob.size() - offset);
        while (true) {
            try {
                if (in == null) in = session.blob(blob, offset);
                int n = in.read(b, off, want);
                if (n < 0) throw verificationFailed();
                offset += n;
                meter.advance(n);
                return n;
            } catch (BlobSizeMismatch e) {
                closeSource();
                throw verificationFailed();
            } catch (IOException | BerthException.Unavailable e) {
                closeSource();
                if (!retry.allows(++retries)) {
                    failed = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                    throw e;
                }
                retry.countdown(retries, id, progress);
            }
        }
    }

    /** moby's error for a blob whose bytes are not the descriptor's; not retried. */
    private BerthException verificationFailed() {
        return new BerthException.InvalidArgument("filesystem layer verification failed for digest " + blob.digest());
    }

    private void closeSource() {
        if (in == null) return;
        try {
            in.close();
        } catch (IOException e) {
            // the connection is dropped either way
        }
        in = null;
    }

    @Override public void close() { closeSource(); }
}
