package io.berth.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ScratchCleanerTest {
    @Test
    void deletesLaterInOrderAndCloseWaitsForThem() throws InterruptedException {
        List<String> done = new CopyOnWriteArrayList<>();
        CountDownLatch queued = new CountDownLatch(1);
        ScratchCleaner cleaner = new ScratchCleaner();
        cleaner.later(() -> {
            try {
                queued.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.add("a");
        });
        cleaner.later(() -> { throw new IllegalStateException("cannot delete b"); });
        cleaner.later(() -> done.add("c"));
        assertThat(done).as("the caller does not wait").isEmpty();
        queued.countDown();
        cleaner.close();
        assertThat(done).as("a failure does not stop the next ones").containsExactly("a", "c");
    }
}
