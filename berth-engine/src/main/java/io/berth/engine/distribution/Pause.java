package io.berth.engine.distribution;

import java.time.Duration;

/** Waits between retries (a real sleep in the daemon, nothing in tests). */
@FunctionalInterface
interface Pause {
    void sleep(Duration duration) throws InterruptedException;

    Pause REAL = Thread::sleep;
}
