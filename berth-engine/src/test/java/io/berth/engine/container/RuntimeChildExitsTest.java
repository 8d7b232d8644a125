package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RuntimeChildExitsTest {
    @Test
    void exitsGoToTheWatchOfTheirParentIncludingOnesJustBeforeIt() {
        RuntimeChildExits exits = new RuntimeChildExits();
        List<RuntimeChildExits.Exit> seen = new CopyOnWriteArrayList<>();
        exits.exited(10, 11, 0, 1);   // before the watch began: replayed
        exits.exited(20, 21, 0, 2);   // another parent's child
        exits.watch(10, seen::add);
        exits.exited(10, 12, 3, 3);
        exits.unwatch(10);
        exits.exited(10, 13, 0, 4);   // after the watch ended

        assertThat(seen).containsExactly(new RuntimeChildExits.Exit(11, 0, 1), new RuntimeChildExits.Exit(12, 3, 3));
    }

    @Test
    void theBacklogIsBounded() {
        RuntimeChildExits exits = new RuntimeChildExits();
        for (int i = 0; i < 1000; i++) exits.exited(10, 1000 + i, 0, i);
        List<RuntimeChildExits.Exit> seen = new CopyOnWriteArrayList<>();
        exits.watch(10, seen::add);

        assertThat(seen).hasSize(256).first().extracting(RuntimeChildExits.Exit::pid).isEqualTo(1744);
    }
}
