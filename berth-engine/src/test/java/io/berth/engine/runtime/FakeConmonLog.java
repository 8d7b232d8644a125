package io.berth.engine.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Writes a k8s-file log as conmon does: appends through one open descriptor (which follows the
 * file through renames) and, on {@link #reopen}, opens {@code <log>.tmp} afresh and renames it over
 * the log's path.
 */
final class FakeConmonLog implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Path log;
    private FileChannel ch;

    FakeConmonLog(Path log) throws IOException {
        this.log = log;
        this.ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** The time of line {@code i}: one millisecond apart. */
    static Instant time(int i) {
        return T0.plusMillis(i);
    }

    /** Writes {@code line <i>} on stdout (even i) or stderr (odd i), stamped {@link #time}(i). */
    synchronized void line(int i) throws IOException {
        String rec = time(i).atOffset(ZoneOffset.UTC) + " " + (i % 2 == 0 ? "stdout" : "stderr") + " F line " + i + "\n";
        ch.write(ByteBuffer.wrap(rec.getBytes(StandardCharsets.US_ASCII)));
    }

    synchronized void reopen() {
        try {
            ch.close();
            Path tmp = log.resolveSibling(log.getFileName() + ".tmp");
            ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        ch.close();
    }
}
