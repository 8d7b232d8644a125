package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class AotTrainingTest {
    @Test
    void everyTrainingLineSucceedsAgainstTheCannedDaemon() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        var codes = AotTraining.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(codes).hasSize(AotTraining.LINES.size()).containsOnly(0);
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
}
