package io.berth.engine.runtime;

import io.berth.engine.service.StdStream;
import io.berth.engine.service.LogEntry;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation of real files with a fake conmon, and reading and following the rotated files. */
class LogRotatorTest {
    @TempDir
    Path tmp;

    static List<String> lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "line " + i + "\n").toList();
    }

    static List<String> texts(List<LogEntry> es) {
        return es.stream().map(LogEntry::text).toList();
    }

    List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Writes lines 0..n-1, rotating by hand whenever the file reaches maxSize. */
    static void writeRotating(FakeConmonLog w, Path log, int n, long maxSize, int maxFiles) throws IOException {
        for (int i = 0; i < n; i++) {
            w.line(i);
            if (Files.size(log) >= maxSize) LogRotator.rotate(log, maxFiles, w::reopen);
        }
    }

    @Test
    void rotationKeepsMaxFilesAndReadsOldestFirst() throws Exception {
        Path log = tmp.resolve("container.log");
        try (FakeConmonLog w = new FakeConmonLog(log)) {
            writeRotating(w, log, 1000, 2048, 3);
        }
        assertThat(files()).containsExactly("container.log", "container.log.1", "container.log.2");
        List<String> all = texts(new LogReader(log).read(LogReader.Query.all()));
        // what is kept is the newest lines, in order, none missing
        assertThat(all).isNotEmpty().endsWith("line 999\n");
        int first = Integer.parseInt(all.getFirst().trim().substring(5));
        assertThat(all).isEqualTo(lines(first, 1000));
        assertThat(first).isGreaterThan(800);
        // each rotated file holds about max-size
        assertThat(Files.size(tmp.resolve("container.log.1"))).isBetween(2048L, 2048L + 64);
    }

    @Test
    void tailSinceUntilAndStreamsSpanFiles() throws Exception {
        Path log = tmp.resolve("container.log");
        try (FakeConmonLog w = new FakeConmonLog(log)) {
            writeRotating(w, log, 300, 1024, 100);
        }
        assertThat(files().size()).isGreaterThan(5);
        LogReader r = new LogReader(log);
        assertThat(texts(r.read(LogReader.Query.all()))).isEqualTo(lines(0, 300));
        // the tail reaches back across several files
        assertThat(texts(r.read(LogReader.Query.all().withTail(120)))).isEqualTo(lines(180, 300));
        assertThat(texts(r.read(LogReader.Query.all().between(FakeConmonLog.time(10), FakeConmonLog.time(250)))))
                .isEqualTo(lines(10, 250));
        assertThat(texts(r.read(LogReader.Query.all().between(FakeConmonLog.time(10), null).withTail(3)))).isEqualTo(lines(297, 300));
        assertThat(texts(r.read(LogReader.Query.all().withStreams(Set.of(StdStream.STDERR)).withTail(2))))
                .containsExactly("line 297\n", "line 299\n");
    }

    @Test
    void maxFileOneTruncates() throws Exception {
        Path log = tmp.resolve("container.log");
        try (FakeConmonLog w = new FakeConmonLog(log)) {
            writeRotating(w, log, 500, 1024, 1);
            w.line(500);
        }
        assertThat(files()).containsExactly("container.log");
        List<String> all = texts(new LogReader(log).read(LogReader.Query.all()));
        assertThat(all).endsWith("line 500\n").hasSizeLessThan(40);
    }

    @Test
    void watcherRotatesAWriterAndStopsWhenUnwatched() throws Exception {
        Path log = tmp.resolve("container.log");
        try (LogRotator rotator = new LogRotator(); FakeConmonLog w = new FakeConmonLog(log)) {
            rotator.watch("c1", log, new LogRotator.Policy(4096, 3), w::reopen);
            for (int i = 0; i < 3000; i++) {
                w.line(i);
                if (i % 50 == 0) Thread.sleep(2); // let the watcher keep up as a real container's pace would
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Files.size(log) >= 4096 && System.nanoTime() < deadline) Thread.sleep(10);
            assertThat(files()).containsExactly("container.log", "container.log.1", "container.log.2");
            assertThat(Files.size(log)).isLessThan(4096);
            List<String> all = texts(new LogReader(log).read(LogReader.Query.all()));
            int first = Integer.parseInt(all.getFirst().trim().substring(5));
            assertThat(all).isEqualTo(lines(first, 3000));

            rotator.unwatch("c1");
            assertThat(rotator.watching("c1")).isFalse();
            for (int i = 3000; i < 3400; i++) w.line(i);
            Thread.sleep(200);
            assertThat(Files.size(log)).isGreaterThan(4096);
        }
    }

    @Test
    void watchRotatesAnOversizedLogAtOnce() throws Exception {
        Path log = tmp.resolve("container.log");
        try (LogRotator rotator = new LogRotator(); FakeConmonLog w = new FakeConmonLog(log)) {
            for (int i = 0; i < 200; i++) w.line(i);
            List<Boolean> reopened = new ArrayList<>();
            rotator.watch("c1", log, new LogRotator.Policy(1024, 2), () -> {
                reopened.add(true);
                w.reopen();
            });
            assertThat(reopened).hasSize(1);
            assertThat(files()).containsExactly("container.log", "container.log.1");
        }
    }

    @Test
    void followCrossesRotationsWithoutLossOrRepeats() throws Exception {
        Path log = tmp.resolve("container.log");
        List<String> got = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        try (FakeConmonLog w = new FakeConmonLog(log)) {
            for (int i = 0; i < 10; i++) w.line(i);
            Thread follower = Thread.ofVirtual().start(() -> {
                try {
                    new LogReader(log).follow(LogReader.Query.all().withTail(5), e -> got.add(e.text()), stop);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.size() < 5 && System.nanoTime() < deadline) Thread.sleep(5);
            // rotations at every pace: back to back, and with the follower idle in between
            for (int i = 10; i < 4000; i++) {
                w.line(i);
                if (Files.size(log) >= 1024) LogRotator.rotate(log, 1000, w::reopen);
                if (i % 500 == 0) Thread.sleep(50);
            }
            // a rename whose reopen comes late: lines written to the renamed file still arrive
            LogRotator.rotate(log, 1000, () -> {});
            for (int i = 4000; i < 4010; i++) w.line(i);
            Thread.sleep(50);
            w.reopen();
            for (int i = 4010; i < 4020; i++) w.line(i);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.size() < 4015 && System.nanoTime() < deadline) Thread.sleep(10);
            stop.complete(null);
            assertThat(follower.join(Duration.ofSeconds(10))).isTrue();
        }
        assertSameLines(got, lines(5, 4020));
    }

    /** Equality with the first difference named (the lists are long). */
    static void assertSameLines(List<String> got, List<String> want) {
        int i = 0;
        while (i < got.size() && i < want.size() && got.get(i).equals(want.get(i))) i++;
        assertThat(i).as("first difference at %d: got %s, want %s (sizes %d, %d)", i,
                got.subList(i, Math.min(got.size(), i + 3)), want.subList(i, Math.min(want.size(), i + 3)), got.size(), want.size())
                .isEqualTo(Math.max(got.size(), want.size()));
    }
}
