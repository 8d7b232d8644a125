package io.berth.engine.metrics;

/** Times the phases of one operation one after the other: each {@link #lap} records the time since the last. */
public final class PhaseClock {
    private final EngineMetrics metrics;
    private final long start = System.nanoTime();
    private long last = start;

    public PhaseClock(EngineMetrics metrics) { this.metrics = metrics; }

    /** Records {@code phase} as the time since the last lap (or the start). */
    public void lap(ContainerPhase phase) {
        long now = System.nanoTime();
        metrics.phase(phase, now - last);
        last = now;
    }

    /** The nanoseconds since the clock was made. */
    public long total() { return System.nanoTime() - start; }
}
