package io.berth.engine.distribution;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read from a stream on a {@link ProgressMeter} (an upload's "Pushing"), ending it at the end. */
final class TransferProgress extends FilterInputStream {
    private final ProgressMeter meter;
    private boolean ended;

    TransferProgress(InputStream in, ProgressMeter meter) {
        super(in);
        this.meter = meter;
    }

    @Override public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? -1 : 1);
        return b;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        count(n);
        return n;
    }

    private void count(int n) {
        if (n > 0) {
            meter.advance(n);
        } else if (n < 0 && !ended) {
            ended = true;
            meter.end();
        }
    }
}
