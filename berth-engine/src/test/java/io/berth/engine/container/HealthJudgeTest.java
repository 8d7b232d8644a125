package io.berth.engine.container;

import io.berth.api.container.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** moby's health rules ({@link HealthJudge}): streaks, the start period, the start interval, the log, timeouts. */
class HealthJudgeTest {
    static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");

    static HealthSettings settings(int retries, Duration startPeriod) {
        return new HealthSettings(List.of("true"), Duration.ofSeconds(30), Duration.ofSeconds(30), startPeriod,
                Duration.ofSeconds(5), retries);
    }

    static Health.Result result(int secondsAfterStart, int exitCode) {
        Instant at = STARTED.plusSeconds(secondsAfterStart);
        return new Health.Result(at, at.plusMillis(20), exitCode, "out " + secondsAfterStart);
    }

    @Test
    void failuresCountUpToRetriesThenUnhealthyAndASuccessResets() {
        HealthSettings s = settings(3, Duration.ZERO);
        Health h = HealthJudge.starting(null);
        h = HealthJudge.record(h, result(1, 1), STARTED, s);
        h = HealthJudge.record(h, result(2, 2), STARTED, s);
        assertThat(h.status()).isEqualTo(Health.STARTING);
        assertThat(h.failingStreak()).isEqualTo(2);
        h = HealthJudge.record(h, result(3, 1), STARTED, s);
        assertThat(h.status()).isEqualTo(Health.UNHEALTHY);
        assertThat(h.failingStreak()).isEqualTo(3);
        h = HealthJudge.record(h, result(4, 0), STARTED, s);
        assertThat(h.status()).isEqualTo(Health.HEALTHY);
        assertThat(h.failingStreak()).isZero();
    }

    @Test
    void aSuccessMakesItHealthyAtOnceAndFailuresKeepItHealthyUntilRetries() {
        HealthSettings s = settings(2, Duration.ZERO);
        Health h = HealthJudge.record(HealthJudge.starting(null), result(1, 0), STARTED, s);
        assertThat(h.status()).isEqualTo(Health.HEALTHY);
        h = HealthJudge.record(h, result(2, 1), STARTED, s);
        assertThat(h.status()).isEqualTo(Health.HEALTHY);
        assertThat(h.failingStreak()).isEqualTo(1);
        assertThat(HealthJudge.record(h, result(3, 1), STARTED, s).status()).isEqualTo(Health.UNHEALTHY);
    }

    @Test
    void failuresInTheStartPeriodDoNotCountWhileStartingButDoOnceASuccessCame() {
        HealthSettings s = settings(1, Duration.ofSeconds(10));
        Health h = HealthJudge.record(HealthJudge.starting(null), result(1, 1), STARTED, s);
        h = HealthJudge.record(h, result(5, 1), STARTED, s);
        assertThat(h.status()).isEqualTo(Health.STARTING);
        assertThat(h.failingStreak()).isZero();
        assertThat(h.log()).hasSize(2);
        Health late = HealthJudge.record(h, result(10, 1), STARTED, s);
        assertThat(late.status()).isEqualTo(Health.UNHEALTHY);
        Health healthy = HealthJudge.record(h, result(6, 0), STARTED, s);
        Health failedInPeriod = HealthJudge.record(healthy, result(7, 1), STARTED, s);
        assertThat(failedInPeriod.status()).isEqualTo(Health.UNHEALTHY);
        assertThat(failedInPeriod.failingStreak()).isEqualTo(1);
    }

    @Test
    void theLogKeepsTheLastFiveResults() {
        HealthSettings s = settings(3, Duration.ZERO);
        Health h = HealthJudge.starting(null);
        for (int i = 1; i <= 7; i++) h = HealthJudge.record(h, result(i, 0), STARTED, s);
        assertThat(h.log()).extracting(Health.Result::output).containsExactly("out 3", "out 4", "out 5", "out 6", "out 7");
    }

    @Test
    void startingAgainKeepsTheLogAndResetsTheStreak() {
        Health old = new Health(Health.UNHEALTHY, 4, List.of(result(1, 1)));
        Health again = HealthJudge.starting(old);
        assertThat(again).isEqualTo(new Health(Health.STARTING, 0, old.log()));
        assertThat(HealthJudge.stopped(again).status()).isEqualTo(Health.UNHEALTHY);
    }

    @Test
    void theStartIntervalAppliesWhileStartingWithinTheStartPeriod() {
        HealthSettings s = settings(3, Duration.ofSeconds(60));
        Health starting = HealthJudge.starting(null);
        assertThat(HealthJudge.nextDelay(starting, STARTED, STARTED.plusSeconds(10), s)).isEqualTo(Duration.ofSeconds(5));
        assertThat(HealthJudge.nextDelay(starting, STARTED, STARTED.plusSeconds(60), s)).isEqualTo(Duration.ofSeconds(30));
        Health healthy = new Health(Health.HEALTHY, 0, List.of());
        assertThat(HealthJudge.nextDelay(healthy, STARTED, STARTED.plusSeconds(10), s)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HealthJudge.nextDelay(starting, STARTED, STARTED.plusSeconds(1), settings(3, Duration.ZERO)))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aTimedOutOrFailedProbeIsExitCodeMinusOneWithDockersText() {
        Instant a = STARTED, b = STARTED.plusMillis(500);
        assertThat(HealthJudge.result(new HealthProbes.Outcome.TimedOut(), a, b, Duration.ofMillis(500)))
                .isEqualTo(new Health.Result(a, b, -1, "Health check exceeded timeout (500ms)"));
        assertThat(HealthJudge.result(new HealthProbes.Outcome.TimedOut(), a, b, Duration.ofSeconds(90)).output())
                .isEqualTo("Health check exceeded timeout (1m30s)");
        assertThat(HealthJudge.result(new HealthProbes.Outcome.Failed("OCI runtime exec failed: x: unknown"), a, b, Duration.ofSeconds(1)))
                .isEqualTo(new Health.Result(a, b, -1, "OCI runtime exec failed: x: unknown"));
        assertThat(HealthJudge.result(new HealthProbes.Outcome.Exited(3, "bad\n"), a, b, Duration.ofSeconds(1)))
                .isEqualTo(new Health.Result(a, b, 3, "bad\n"));
    }
}
