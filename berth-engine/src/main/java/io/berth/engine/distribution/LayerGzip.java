package io.berth.engine.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream for layers that skips the work deflate cannot repay: the input is deflated in 1 MiB slices at the
 * default level, and after a slice that shrank by less than 3% (data already compressed or random) the next slices
 * are written as stored deflate blocks, which cost a copy and a CRC, until a probe slice every
 * {@value #PROBE_EVERY} MiB compresses well again. Slices are cut at fixed input offsets and the level decided from
 * the deflater's own counts, so the same tar always gives the same bytes (the compressed digest is stable). The
 * output is one ordinary gzip member that any reader inflates. Closing it finishes the member, not the sink.
 */
final class LayerGzip extends OutputStream {
    static final int SLICE = 1 << 20;
    static final int PROBE_EVERY = 16;
    private static final double INCOMPRESSIBLE = 0.97;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final OutputStream out;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final CRC32 crc = new CRC32();
    private final byte[] slice = new byte[SLICE];
    private final byte[] buffer = new byte[1 << 16];
    private int filled;
    private int storedSlices;
    private boolean stored;
    private boolean finished;

    LayerGzip(OutputStream out) throws IOException {
        this.out = out;
        out.write(HEADER);
    }

    @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

    @Override public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, SLICE - filled);
            System.arraycopy(b, off, slice, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == SLICE) deflateSlice();
        }
    }

    private void deflateSlice() throws IOException {
        crc.update(slice, 0, filled);
        long before = deflater.getBytesWritten();
        deflater.setInput(slice, 0, filled);
        while (!deflater.needsInput()) drain(deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
        long written = deflater.getBytesWritten() - before;
        if (stored) {
            if (++storedSlices >= PROBE_EVERY) level(false);
        } else if (written > INCOMPRESSIBLE * filled) {
            level(true);
        }
        filled = 0;
    }

    /**
     * Switches the level before the next slice: the deflater applies a new level at its next call, to the input it has
     * then, so it is called once more with none (until it has no more to give) for the next slice to get the new one.
     */
    private void level(boolean store) throws IOException {
        stored = store;
        storedSlices = 0;
        deflater.setLevel(store ? Deflater.NO_COMPRESSION : Deflater.DEFAULT_COMPRESSION);
        deflater.setInput(slice, 0, 0);
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH);
            drain(n);
        } while (n == buffer.length);
    }

    private void drain(int n) throws IOException {
        if (n > 0) out.write(buffer, 0, n);
    }

    /** Deflates what is left and writes the trailer (CRC-32 and size, little-endian). */
    @Override public void close() throws IOException {
        if (finished) return;
        finished = true;
        try {
            if (filled > 0) deflateSlice();
            deflater.finish();
            while (!deflater.finished()) drain(deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
            long size = deflater.getBytesRead();
            int c = (int) crc.getValue();
            out.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                    (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
            out.flush();
        } finally {
            deflater.end();
        }
    }
}
