package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The exec manager subscribes to the host's process events when asked to (after the start), not when it is made. */
class ExecManagerSubscriptionTest {
    @Test void subscribesOnPrepareNotWhenMade() {
        AtomicInteger asked = new AtomicInteger();
        ExecManager execs = new ExecManager(null, null, null, null, null, Path.of("/tmp/x"), () -> {
            asked.incrementAndGet();
            return null;
        });
        assertThat(asked).hasValue(0);
        execs.prepare();
        assertThat(asked).hasValue(1);
    }
}
