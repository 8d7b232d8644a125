package io.berth.engine.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the start deferred runs once berthd answers, each part even when an earlier one fails. */
class EngineFinishStartTest {
    private static final Engine.Services NO_SERVICES = new Engine.Services(null, null, null, null, null, null, null, null, null, null, null, null);

    @Test void runsEveryDeferredPartInOrderThoughOneFails() {
        List<String> ran = new ArrayList<>();
        Engine e = new Engine(new EngineOptions(Path.of("/tmp/data"), Path.of("/tmp/exec"), List.of(), false), NO_SERVICES, List.of(),
                List.of(() -> ran.add("namespace"), () -> {
                    throw new IllegalStateException("unshare: no");
                }, () -> ran.add("after")));
        e.finishStart();
        assertThat(ran).containsExactly("namespace", "after");
    }
}
