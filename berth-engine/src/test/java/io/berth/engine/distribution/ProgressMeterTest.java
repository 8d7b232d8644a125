package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.JsonMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** moby's progress.Reader: every min(1%, 512 KiB), at most one per 100 ms, always at 100% and at the end. */
class ProgressMeterTest {
    long now;
    final List<JsonMessage> sent = new ArrayList<>();

    ProgressMeter meter(long total) { return new ProgressMeter(sent::add, "abc", "Downloading", total, 0, () -> now); }

    @Test
    void reportsAfterEachStepButAtMostTenTimesASecond() {
        ProgressMeter m = meter(100 << 20); // 1% = 1 MiB > 512 KiB: steps of 512 KiB
        m.advance(512 << 10);               // not more than a step yet
        assertThat(sent).isEmpty();
        m.advance(1);
        assertThat(sent).hasSize(1);
        m.advance(600 << 10);               // within 100 ms: dropped
        assertThat(sent).hasSize(1);
        now += 100_000_000L;
        m.advance(600 << 10);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).progressDetail().current()).isEqualTo((512 << 10) + 1 + 2 * (600 << 10));
        assertThat(sent.get(1).progress()).startsWith("[");
    }

    @Test
    void smallBlobsStepByOnePercentAndAlwaysReportTheEnd() {
        ProgressMeter m = meter(10_000); // 1% = 100 bytes
        m.advance(101);
        m.advance(9_899);                // reaches 100%: sent despite the rate limit
        m.end();
        assertThat(sent).extracting(s -> s.progressDetail().current()).containsExactly(101L, 10_000L, 10_000L);
        assertThat(sent).allSatisfy(s -> assertThat(s.status()).isEqualTo("Downloading"));
    }
}
