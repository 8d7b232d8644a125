package io.berth.engine.runtime;

import io.berth.engine.service.StdStream;
import io.berth.engine.service.LogEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Reads a k8s-file log as conmon writes it: one record per line,
 * {@code <RFC 3339 time> <stdout|stderr> <F|P> <content>}, {@code P} marking a piece of a longer
 * line. Filters by stream, time ({@code since} inclusive, {@code until} exclusive) and keeps the
 * last {@code tail} records; {@link #follow} then waits for new records with inotify and returns
 * when a given stage (the container's exit) completes.
 *
 * <p>The log may be rotated ({@link LogRotator}: {@code container.log.N} … {@code .1}, then the
 * current file) or started afresh by conmon (a new file renamed over the old one): {@link #read}
 * reads all files oldest first, and {@link #follow} notices new files and reads each one once.
 * Files are told apart by their file key (device and inode), not by name.
 */
public final class LogReader {
    /** What to read. {@code tail} < 0: all; {@code since}/{@code until} null: unbounded. */
    public record Query(Set<StdStream> streams, int tail, Instant since, Instant until) {
        public Query {
            streams = streams == null || streams.isEmpty() ? EnumSet.of(StdStream.STDOUT, StdStream.STDERR) : EnumSet.copyOf(streams);
        }

        public static Query all() {
            return new Query(null, -1, null, null);
        }

        public Query withTail(int n) {
            return new Query(streams, n, since, until);
        }

        public Query withStreams(Set<StdStream> s) {
            return new Query(s, tail, since, until);
        }

        public Query between(Instant since, Instant until) {
            return new Query(streams, tail, since, until);
        }

        boolean accepts(LogEntry e) {
            return streams.contains(e.stream())
                    && (since == null || !e.time().isBefore(since))
                    && (until == null || e.time().isBefore(until));
        }
    }

    private final Path file;

    public LogReader(Path file) {
        this.file = file;
    }

    /** Parses one record (without its newline); null if the line is not a log record. */
    public static LogEntry parse(byte[] line, int off, int len) {
        int end = off + len;
        int sp1 = indexOf(line, (byte) ' ', off, end);
        if (sp1 < 0) return null;
        int sp2 = indexOf(line, (byte) ' ', sp1 + 1, end);
        if (sp2 < 0) return null;
        int sp3 = indexOf(line, (byte) ' ', sp2 + 1, end);
        int tagEnd = sp3 < 0 ? end : sp3;
        Instant time;
        try {
            time = OffsetDateTime.parse(new String(line, off, sp1 - off, StandardCharsets.US_ASCII)).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        String s = new String(line, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII);
        StdStream stream = switch (s) {
            case "stdout" -> StdStream.STDOUT;
            case "stderr" -> StdStream.STDERR;
            default -> null;
        };
        if (stream == null) return null;
        boolean partial = new String(line, sp2 + 1, tagEnd - sp2 - 1, StandardCharsets.US_ASCII).startsWith("P");
        byte[] content;
        int cStart = sp3 < 0 ? end : sp3 + 1;
        if (partial) {
            content = Arrays.copyOfRange(line, cStart, end);
        } else {
            content = Arrays.copyOf(Arrays.copyOfRange(line, cStart, end), end - cStart + 1);
            content[content.length - 1] = '\n';
        }
        return new LogEntry(time, stream, content, partial);
    }

    private static int indexOf(byte[] b, byte c, int from, int end) {
        for (int i = from; i < end; i++) if (b[i] == c) return i;
        return -1;
    }

    /** The records the query selects, as the files are now: the rotated ones oldest first, then the current one. */
    public List<LogEntry> read(Query q) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        Tail t = tailed(q, out::add);
        List<Cursor> files = snapshot(null);
        try {
            for (Cursor c : files) c.drain(q, t);
        } finally {
            closeAll(files);
        }
        t.flush();
        return out;
    }

    /** A consumer that keeps only the last {@code q.tail()} entries, flushed by {@link Tail#flush()}. */
    private static Tail tailed(Query q, Consumer<LogEntry> sink) {
        return new Tail(q.tail(), sink);
    }

    private static final class Tail implements Consumer<LogEntry> {
        private final int n;
        private final Consumer<LogEntry> sink;
        private final ArrayDeque<LogEntry> ring = new ArrayDeque<>();

        Tail(int n, Consumer<LogEntry> sink) {
            this.n = n;
            this.sink = sink;
        }

        @Override
        public void accept(LogEntry e) {
            if (n < 0) {
                sink.accept(e);
                return;
            }
            if (n == 0) return;
            if (ring.size() == n) ring.removeFirst();
            ring.addLast(e);
        }

        void flush() {
            ring.forEach(sink);
            ring.clear();
        }
    }

    /**
     * Sends the selected records to {@code sink}, then every new one as conmon writes it, until
     * {@code stop} completes (e.g. the container's exit): then the rest is sent and the call
     * returns. Follows across rotations ({@link LogFiles}): a file once read is never read again,
     * and the files that appeared since are read in order. Blocks the calling thread; run it on a
     * virtual thread.
     */
    public void follow(Query q, Consumer<LogEntry> sink, CompletionStage<?> stop) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            // registered before the first read, so no rotation or write after it goes unnoticed
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            Tail first = tailed(q, sink);
            List<Cursor> files = snapshot(null);
            Cursor cur;
            try {
                for (Cursor c : files) c.drain(q, first);
            } catch (IOException | RuntimeException e) {
                closeAll(files);
                throw e;
            }
            first.flush();
            closeAll(files.isEmpty() ? files : files.subList(0, files.size() - 1));
            cur = files.isEmpty() ? null : files.getLast();
            Query live = q.withTail(-1);
            stop.whenComplete((v, t) -> {
                try {
                    watch.close();
                } catch (IOException ignored) {
                    // closing wakes the loop below either way
                }
            });
            try {
                for (;;) {
                    WatchKey key;
                    try {
                        key = watch.take();
                    } catch (ClosedWatchServiceException e) {
                        cur = catchUp(cur, live, sink);
                        return;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    key.pollEvents();
                    cur = catchUp(cur, live, sink);
                    key.reset();
                }
            } finally {
                if (cur != null) cur.close();
            }
        }
    }

    /**
     * Reads what was written to {@code cur} and, if the log was rotated since, the rest of it and
     * every newer file; returns the cursor on the newest file.
     */
    private Cursor catchUp(Cursor cur, Query q, Consumer<LogEntry> sink) throws IOException {
        if (cur != null) cur.drain(q, sink);
        Object newest = LogFiles.key(file);
        if (newest == null) {
            Path one = LogFiles.rotated(file, 1);
            newest = LogFiles.key(one); // between the rename and conmon's reopen it writes to .1
        }
        if (newest == null || (cur != null && newest.equals(cur.key))) return cur;
        // rotated: conmon no longer writes to any file older than the newest one
        List<Cursor> newer = snapshot(cur == null ? null : cur.key);
        if (cur != null) {
            cur.drain(q, sink);
            cur.close();
        }
        try {
            for (Cursor c : newer) c.drain(q, sink);
        } catch (IOException | RuntimeException e) {
            closeAll(newer);
            throw e;
        }
        closeAll(newer.isEmpty() ? newer : newer.subList(0, newer.size() - 1));
        return newer.isEmpty() ? null : newer.getLast();
    }

    /**
     * Opens the log's files oldest first, as one consistent set (retried while rotations move files
     * under it). With {@code after}, only the files newer than the one with that file key (all of
     * them if it is gone: files leave the set oldest first).
     */
    private List<Cursor> snapshot(Object after) throws IOException {
        for (int attempt = 0; ; attempt++) {
            List<LogFiles.Entry> chain = LogFiles.chain(file);
            int from = 0;
            if (after != null) {
                for (int i = 0; i < chain.size(); i++) {
                    if (after.equals(chain.get(i).key())) from = i + 1;
                }
            }
            List<Cursor> open = new ArrayList<>();
            boolean consistent = true;
            try {
                for (LogFiles.Entry e : chain.subList(from, chain.size())) {
                    Cursor c = Cursor.open(e.path(), e.key());
                    if (c == null) {
                        consistent = false;
                        break;
                    }
                    open.add(c);
                }
                // a rename during the directory listing can hide a file from it: the set is only
                // trusted when a second listing after the opens sees the very same files
                consistent = consistent && chain.equals(LogFiles.chain(file));
            } catch (IOException | RuntimeException e) {
                closeAll(open);
                throw e;
            }
            if (consistent || attempt >= 100) return open;
            closeAll(open);
        }
    }

    private static void closeAll(List<Cursor> cs) throws IOException {
        for (Cursor c : cs) c.close();
    }

    /** Reads complete lines from one file (an inode: renames do not disturb it), remembering where it stopped. */
    private static final class Cursor implements AutoCloseable {
        final Path path;
        final Object key;
        private final FileChannel ch;
        private byte[] pending = new byte[0];

        private Cursor(Path path, Object key, FileChannel ch) {
            this.path = path;
            this.key = key;
            this.ch = ch;
        }

        /** Opens {@code path} if it still is the file with {@code key}; null if not (moved or gone). */
        static Cursor open(Path path, Object key) throws IOException {
            FileChannel ch;
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            }
            if (!key.equals(LogFiles.key(path))) {
                ch.close();
                return null;
            }
            return new Cursor(path, key, ch);
        }

        void drain(Query q, Consumer<LogEntry> sink) throws IOException {
            if (ch.size() < ch.position()) { // truncated in place
                ch.position(0);
                pending = new byte[0];
            }
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            for (;;) {
                buf.clear();
                int n = ch.read(buf);
                if (n <= 0) break;
                byte[] data = new byte[pending.length + n];
                System.arraycopy(pending, 0, data, 0, pending.length);
                System.arraycopy(buf.array(), 0, data, pending.length, n);
                int start = 0;
                for (int i = 0; i < data.length; i++) {
                    if (data[i] == '\n') {
                        LogEntry e = parse(data, start, i - start);
                        if (e != null && q.accepts(e)) sink.accept(e);
                        start = i + 1;
                    }
                }
                pending = Arrays.copyOfRange(data, start, data.length);
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
