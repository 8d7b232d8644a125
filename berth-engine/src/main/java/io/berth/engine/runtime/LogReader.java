package io.berth.engine.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
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
 * <p>When conmon reaches {@code --log-size-max} it starts the file afresh (a new file renamed over
 * the old one); a follower notices the new file and reads it from its start.
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

    /** The records the query selects, as the file is now. */
    public List<LogEntry> read(Query q) throws IOException {
        List<LogEntry> out = new ArrayList<>();
        try (Cursor c = new Cursor()) {
            c.drain(q, tailed(q, out::add));
        } catch (NoSuchFileException e) {
            return List.of();
        }
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
     * {@code stop} completes (e.g. the container's exit): then the rest of the file is sent and the
     * call returns. Blocks the calling thread; run it on a virtual thread.
     */
    public void follow(Query q, Consumer<LogEntry> sink, CompletionStage<?> stop) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path name = file.getFileName();
        try (WatchService watch = FileSystems.getDefault().newWatchService(); Cursor c = new Cursor()) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            Tail first = tailed(q, sink);
            c.drain(q, first);
            first.flush();
            Query live = q.withTail(-1);
            stop.whenComplete((v, t) -> {
                try {
                    watch.close();
                } catch (IOException ignored) {
                    // closing wakes the loop below either way
                }
            });
            for (;;) {
                WatchKey key;
                try {
                    key = watch.take();
                } catch (ClosedWatchServiceException e) {
                    c.drain(live, sink);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE && name.equals(ev.context())) {
                        c.drain(live, sink); // the rest of the old file
                        c.reopen();          // conmon replaced the file (rotation)
                    }
                }
                c.drain(live, sink);
                key.reset();
            }
        }
    }

    /** Reads complete lines from the file, remembering where it stopped. */
    private final class Cursor implements AutoCloseable {
        private FileChannel ch;
        private byte[] pending = new byte[0];

        Cursor() throws IOException {
            reopen();
        }

        void reopen() throws IOException {
            if (ch != null) ch.close();
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                ch = null;
            }
            pending = new byte[0];
        }

        void drain(Query q, Consumer<LogEntry> sink) throws IOException {
            if (ch == null) {
                reopen();
                if (ch == null) return;
            }
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
            if (sink instanceof Tail t) t.flush();
        }

        @Override
        public void close() throws IOException {
            if (ch != null) ch.close();
        }
    }
}
