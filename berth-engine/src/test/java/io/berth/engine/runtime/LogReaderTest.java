package io.berth.engine.runtime;

import io.berth.engine.service.StdStream;
import io.berth.engine.service.LogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** k8s-file parsing and following, without a container. */
class LogReaderTest {
    @TempDir
    Path tmp;

    static LogEntry parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return LogReader.parse(b, 0, b.length);
    }

    @Test
    void parsesFullAndPartialRecords() {
        LogEntry full = parse("2026-01-01T00:00:00.123456789Z stdout F hello world");
        assertThat(full.time()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456789Z"));
        assertThat(full.stream()).isEqualTo(StdStream.STDOUT);
        assertThat(full.partial()).isFalse();
        assertThat(full.text()).isEqualTo("hello world\n");

        LogEntry part = parse("2026-11-23T00:12:14.535463794+00:00 stderr P abc ");
        assertThat(part.stream()).isEqualTo(StdStream.STDERR);
        assertThat(part.partial()).isTrue();
        assertThat(part.text()).isEqualTo("abc ");

        assertThat(parse("2026-01-01T00:00:00Z stdout F").text()).isEqualTo("\n");
        assertThat(parse("garbage")).isNull();
        assertThat(parse("2026-01-01T00:00:00Z stdin F x")).isNull();
    }

    @Test
    void partialRecordsConcatenateToTheLine() throws Exception {
        Path f = tmp.resolve("c.log");
        Files.writeString(f, """
                2026-01-01T00:00:00Z stdout P aaa
                2026-01-01T00:00:01Z stdout F bbb
                2026-01-01T00:00:02Z stderr F e
                """);
        List<LogEntry> all = new LogReader(f).read(LogReader.Query.all());
        assertThat(all).hasSize(3);
        assertThat(all.get(0).text() + all.get(1).text()).isEqualTo("aaabbb\n");
        assertThat(new LogReader(f).read(LogReader.Query.all().between(Instant.parse("2026-01-01T00:00:01Z"), null))).hasSize(2);
        assertThat(new LogReader(tmp.resolve("missing")).read(LogReader.Query.all())).isEmpty();
    }

    @Test
    void followSeesAppendsAndRotationAndStops() throws Exception {
        Path f = tmp.resolve("c.log");
        Files.writeString(f, "2026-01-01T00:00:00Z stdout F one\n");
        List<String> got = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        CountDownLatch three = new CountDownLatch(3);
        CompletableFuture<Void> stop = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                new LogReader(f).follow(LogReader.Query.all(), e -> {
                    got.add(e.text());
                    two.countDown();
                    three.countDown();
                }, stop);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Files.writeString(f, "2026-01-01T00:00:01Z stdout F two\n", StandardOpenOption.APPEND);
        assertThat(two.await(10, TimeUnit.SECONDS)).isTrue();
        Path fresh = tmp.resolve("c.log.tmp");
        Files.writeString(fresh, "2026-01-01T00:00:02Z stdout F three\n");
        Files.move(fresh, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
        Files.writeString(f, "2026-01-01T00:00:03Z stdout F four\n", StandardOpenOption.APPEND);
        stop.complete(null);
        assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        assertThat(got).containsExactly("one\n", "two\n", "three\n", "four\n");
    }
}
