package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AotTrainingTest {
    @Test
    void everyTrainingLineSucceedsAgainstTheCannedDaemon() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        var lines = AotTraining.lines(false);
        var codes = AotTraining.run(lines, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(codes).hasSize(lines.size()).containsOnly(0);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Server: Berth dev").contains("API version:      1.47 (minimum version 1.24)")
                .contains("4f2c0e7d9a1b   busybox   \"sh -c 'sleep 3600'\"")
                .contains("0.0.0.0:8080->80/tcp   web")
                .contains("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
                .contains("web\tUp 2 hours")
                .contains("busybox      latest    ec95d0b0a8b7")
                .contains("Usage: berth ps")
                .contains("Usage: berth run");
        assertThat(Collections.frequency(out.toString(StandardCharsets.UTF_8).lines().toList(), "dev")).isEqualTo(2);
    }

    @Test
    void theFastTrainingRunsOnlyWhatTheFastPathTakes() {
        assertThat(AotTraining.lines(true)).isEqualTo(AotTraining.FAST_LINES).allSatisfy(line -> {
            List<String> args = new ArrayList<>(List.of("-H", "unix:///x.sock"));
            args.addAll(line);
            assertThat(FastPath.parse(args.toArray(String[]::new))).as(line.toString()).isPresent();
        });
        assertThat(AotTraining.lines(false)).containsAll(AotTraining.FAST_LINES).containsAll(AotTraining.OTHER_LINES);
    }
}
