package io.berth.registry;

import io.berth.registry.spec.RegistryError;
import io.berth.registry.storage.Uploads;

/** The two range headers the registry reads: a blob GET's {@code Range: bytes=a-b} and an upload's {@code Content-Range}. */
final class ByteRange {
    private ByteRange() {}

    /**
     * {@code {start, end}} (inclusive) of {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} within {@code size};
     * 416 {@code RANGE_INVALID} with {@code Content-Range: bytes * /size} when malformed or unsatisfiable.
     */
    static long[] parse(String header, long size) {
        String h = header.trim();
        try {
            if (h.startsWith("bytes=") && h.indexOf(',') < 0) {
                String spec = h.substring(6).trim();
                int dash = spec.indexOf('-');
                if (dash >= 0) {
                    String a = spec.substring(0, dash).trim(), b = spec.substring(dash + 1).trim();
                    long start, end;
                    if (a.isEmpty()) {
                        long n = Long.parseLong(b);
                        start = Math.max(0, size - n);
                        end = size - 1;
                        if (n <= 0) start = size;
                    } else {
                        start = Long.parseLong(a);
                        end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
                        if (!b.isEmpty() && Long.parseLong(b) < start) start = size;
                    }
                    if (start >= 0 && start < size && end >= start) return new long[] {start, end};
                }
            }
        } catch (NumberFormatException e) {
            // fall through to 416
        }
        throw new RegistryError(416, "RANGE_INVALID", "requested range not satisfiable", header, "Content-Range", "bytes */" + size);
    }

    /**
     * The start of an upload chunk's {@code Content-Range: a-b} (also {@code bytes a-b/*}), or -1 when absent; 416 when
     * malformed.
     */
    static long contentRangeStart(String header, long offset) {
        if (header == null || header.isBlank()) return -1;
        String h = header.trim();
        if (h.startsWith("bytes")) h = h.substring(5).trim();
        int slash = h.indexOf('/');
        if (slash >= 0) h = h.substring(0, slash);
        int dash = h.indexOf('-');
        try {
            long a = Long.parseLong(h.substring(0, dash).trim());
            long b = Long.parseLong(h.substring(dash + 1).trim());
            if (a >= 0 && b >= a - 1) return a;
        } catch (RuntimeException e) {
            // fall through
        }
        throw new RegistryError(416, "BLOB_UPLOAD_INVALID", "invalid Content-Range", header, "Range", Uploads.range(offset));
    }
}
