package io.berth.engine.container;

import io.berth.api.GoDurationText;
import io.berth.api.container.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of moby's {@code daemon/health.go}, without threads or clocks: what a probe's result does to the
 * status (a success makes it healthy and resets the streak; a failure counts unless the container is still starting
 * within its start period; {@code retries} counted failures make it unhealthy), which interval comes next (the start
 * interval while starting within the start period), and the log of the last five results.
 */
final class HealthJudge {
    private HealthJudge() {}

    /** At each start (and adoption by a restarted daemon): starting again, no streak, the old log kept. */
    static Health starting(Health previous) {
        return new Health(Health.STARTING, 0, previous == null ? List.of() : previous.log());
    }

    /** When the monitor stops (exit, pause): unhealthy, as Docker reports it "for compatibility reasons". */
    static Health stopped(Health h) {
        return new Health(Health.UNHEALTHY, h.failingStreak(), h.log());
    }

    /** The status after {@code r}, for a container whose main process started at {@code startedAt}. */
    static Health record(Health h, Health.Result r, Instant startedAt, HealthSettings s) {
        List<Health.Result> log = new ArrayList<>(h.log());
        log.add(r);
        if (log.size() > Health.MAX_LOG) log = log.subList(log.size() - Health.MAX_LOG, log.size());
        if (r.exitCode() == 0) return new Health(Health.HEALTHY, 0, log);
        boolean counts = !Health.STARTING.equals(h.status())
                || Duration.between(startedAt, r.start()).compareTo(s.startPeriod()) >= 0;
        if (!counts) return new Health(h.status(), h.failingStreak(), log);
        int streak = h.failingStreak() + 1;
        return new Health(streak >= s.retries() ? Health.UNHEALTHY : h.status(), streak, log);
    }

    /** The wait before the next probe: the start interval while starting within the start period, else the interval. */
    static Duration nextDelay(Health h, Instant startedAt, Instant now, HealthSettings s) {
        boolean inStartPeriod = Duration.between(startedAt, now).compareTo(s.startPeriod()) < 0;
        return inStartPeriod && h != null && Health.STARTING.equals(h.status()) ? s.startInterval() : s.interval();
    }

    /** The result Docker records for a probe: its exit code and output, or -1 and why it gave none. */
    static Health.Result result(HealthProbes.Outcome o, Instant start, Instant end, Duration timeout) {
        return switch (o) {
            case HealthProbes.Outcome.Exited e -> new Health.Result(start, end, e.exitCode(), e.output());
            case HealthProbes.Outcome.TimedOut t ->
                    new Health.Result(start, end, -1, "Health check exceeded timeout (" + GoDurationText.of(timeout) + ")");
            case HealthProbes.Outcome.Failed f -> new Health.Result(start, end, -1, f.message());
        };
    }
}
