package io.berth.engine.container;

import io.berth.engine.service.LogOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.container.ContainerCreateRequest;
import io.berth.api.container.HostConfig;
import io.berth.api.container.LogConfig;
import io.berth.engine.daemon.Engine;
import io.berth.api.errors.BerthException;
import io.berth.engine.service.LogEntry;
import io.berth.engine.runtime.LogRotator;
import io.berth.engine.testing.RealEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --log-opt max-size/max-file: validation and defaults, and rotation of a real container's log (as root). */
class LogRotationTest {
    @TempDir
    Path tmp;

    static HostConfig logs(String type, Map<String, String> opts) {
        HostConfig.Builder b = HostConfig.builder();
        b.networkMode = "none";
        b.logConfig = new LogConfig(type, opts);
        return b.build();
    }

    @Test
    void defaultsAndValidationAsDocker() {
        // no options: Docker's local driver defaults for json-file and local alike
        assertThat(ContainerValidation.logRotation(HostConfig.builder().build())).isEqualTo(new LogRotator.Policy(20L << 20, 5));
        assertThat(ContainerValidation.logRotation(logs("json-file", Map.of()))).isEqualTo(new LogRotator.Policy(20L << 20, 5));
        assertThat(ContainerValidation.logRotation(logs("local", Map.of()))).isEqualTo(new LogRotator.Policy(20L << 20, 5));
        assertThat(ContainerValidation.logRotation(logs("none", Map.of()))).isNull();
        assertThat(ContainerValidation.logRotation(logs("json-file", Map.of("max-size", "10k", "max-file", "3"))))
                .isEqualTo(new LogRotator.Policy(10240, 3));
        assertThat(ContainerValidation.logRotation(logs("json-file", Map.of("max-size", "1m")))).isEqualTo(new LogRotator.Policy(1 << 20, 1));
        assertThat(ContainerValidation.logRotation(logs("local", Map.of("max-size", "1m")))).isEqualTo(new LogRotator.Policy(1 << 20, 5));
        assertThat(ContainerValidation.logRotation(logs("local", Map.of("max-file", "2")))).isEqualTo(new LogRotator.Policy(20L << 20, 2));

        // Docker takes json-file's max-file without max-size; Berth rotates it at the default size
        assertThat(ContainerValidation.logRotation(ContainerValidation.hostConfig(logs("json-file", Map.of("max-file", "3")))))
                .isEqualTo(new LogRotator.Policy(20L << 20, 3));
        assertThat(ContainerValidation.logRotation(ContainerValidation.hostConfig(logs("", Map.of("max-file", "3")))))
                .isEqualTo(new LogRotator.Policy(20L << 20, 3));
        assertThatThrownBy(() -> ContainerValidation.hostConfig(logs("json-file", Map.of("max-size", "1m", "max-file", "0"))))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("max-file cannot be less than 1");
        assertThatThrownBy(() -> ContainerValidation.hostConfig(logs("json-file", Map.of("max-size", "1m", "max-file", "x"))))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessageContaining("invalid syntax");
        assertThatThrownBy(() -> ContainerValidation.hostConfig(logs("json-file", Map.of("max-size", "ten"))))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessageContaining("max-size");
        assertThatThrownBy(() -> ContainerValidation.hostConfig(logs("json-file", Map.of("max-size", "0"))))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("max-size must be a positive number");
    }

    static List<String> lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "line " + i + "\n").toList();
    }

    static List<String> read(Engine engine, String id, int tail) {
        List<String> out = new ArrayList<>();
        engine.containers().logs(id, new LogOptions(true, true, false, tail, null, null, false), e -> out.add(e.text()),
                new CompletableFuture<>());
        return out;
    }

    @Test
    void rotatesARealContainersLogAndLogsFollowAcrossRotations() throws Exception {
        Path tar = RealEngine.busyboxRootfs(tmp);
        String id = null;
        try (Engine engine = RealEngine.open(tmp)) {
            RealEngine.importBusybox(engine, tar);
            // paced so that a follower keeps up with about ten rotations; then it lingers to be read
            String script = "sleep 1; i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1));"
                    + " if [ $((i % 100)) -eq 0 ]; then sleep 0.05; fi; done; sleep 1";
            id = engine.containers().create("", ContainerCreateRequest.of("busybox", List.of("sh", "-c", script),
                    logs("json-file", Map.of("max-size", "10k", "max-file", "3")))).id();
            engine.containers().start(id);
            List<String> followed = new CopyOnWriteArrayList<>();
            String cid = id;
            Thread follower = Thread.ofVirtual().start(() -> engine.containers().logs(cid,
                    new LogOptions(true, true, true, -1, null, null, false), e -> followed.add(e.text()), new CompletableFuture<>()));
            assertThat(follower.join(Duration.ofSeconds(60))).as("follow ends when the container exits").isTrue();

            // -f saw every line once, in order, across every rotation
            LogRotatorAssert.sameLines(followed, lines(0, 2000));

            // at most 3 files, and the log is the newest lines, in order, none missing at the file boundaries
            Path dir = tmp.resolve("data").resolve("containers").resolve(id);
            try (Stream<Path> s = Files.list(dir)) {
                List<String> logFiles = s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("container.log")).sorted().toList();
                assertThat(logFiles).containsExactly("container.log", "container.log.1", "container.log.2");
            }
            for (String f : List.of("container.log.1", "container.log.2")) {
                assertThat(Files.size(dir.resolve(f))).isBetween(10L * 1024, 12L * 1024);
            }
            List<String> all = read(engine, id, -1);
            assertThat(all).isNotEmpty();
            int first = Integer.parseInt(all.getFirst().trim().substring(5));
            assertThat(first).isGreaterThan(0);
            LogRotatorAssert.sameLines(all, lines(first, 2000));
            assertThat(read(engine, id, 5)).isEqualTo(lines(1995, 2000));
            // stderr alone: nothing was written there
            List<LogEntry> err = new ArrayList<>();
            engine.containers().logs(id, new LogOptions(false, true, false, -1, null, null, false), err::add, new CompletableFuture<>());
            assertThat(err).isEmpty();
            engine.containers().remove(id, true, false);
            id = null;
            // the removal's clean-up (its directory with the logs) follows the answer
            io.berth.engine.testing.Eventually.eventually(() -> !Files.exists(dir));
        } finally {
            if (id != null) {
                try (Engine engine = RealEngine.open(tmp)) {
                    engine.containers().remove(id, true, false);
                }
            }
        }
        String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
        assertThat(mounts).as("mounts left behind").doesNotContain(tmp.toString());
    }

    /** List equality that names the first difference (the lists are long). */
    static final class LogRotatorAssert {
        static void sameLines(List<String> got, List<String> want) {
            int i = 0;
            while (i < got.size() && i < want.size() && got.get(i).equals(want.get(i))) i++;
            assertThat(i).as("first difference at %d: got %s, want %s (sizes %d, %d)", i,
                    got.subList(i, Math.min(got.size(), i + 3)), want.subList(i, Math.min(want.size(), i + 3)), got.size(), want.size())
                    .isEqualTo(Math.max(got.size(), want.size()));
        }
    }
}
