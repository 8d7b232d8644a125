package io.berth.engine.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine closes what it built last first, every part even when one fails, and loses no failure. */
class EngineCloseTest {
    private static final Engine.Services NO_SERVICES = new Engine.Services(null, null, null, null, null, null, null, null, null, null, null, null);

    private static Engine engine(List<AutoCloseable> parts) {
        return new Engine(new EngineOptions(Path.of("/tmp/data"), Path.of("/tmp/exec"), List.of(), false), NO_SERVICES, parts, List.of());
    }

    @Test void closesInReverseOrderOfConstruction() {
        List<String> closed = new ArrayList<>();
        engine(List.of(() -> closed.add("lock"), () -> closed.add("runtime"), () -> closed.add("log rotator"),
                () -> closed.add("lifecycle"), () -> closed.add("networks"))).close();
        assertThat(closed).containsExactly("networks", "lifecycle", "log rotator", "runtime", "lock");
    }

    @Test void aFailingPartDoesNotKeepTheOthersOpen() {
        List<String> closed = new ArrayList<>();
        Engine e = engine(List.of(() -> closed.add("lock"), () -> {
            throw new IOException("watch gone");
        }, () -> {
            throw new IllegalStateException("bridge busy");
        }, () -> closed.add("networks")));
        assertThatThrownBy(e::close).isInstanceOf(IllegalStateException.class).hasMessage("bridge busy")
                .satisfies(t -> assertThat(t.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s.getCause()).isInstanceOf(IOException.class).hasMessage("watch gone")));
        assertThat(closed).containsExactly("networks", "lock");
    }
}
