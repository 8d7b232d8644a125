package io.berth.engine.container;

import io.berth.api.errors.BerthException;
import io.berth.engine.container.ContainerState.Move;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static io.berth.engine.container.ContainerStatus.CREATED;
import static io.berth.engine.container.ContainerStatus.DEAD;
import static io.berth.engine.container.ContainerStatus.EXITED;
import static io.berth.engine.container.ContainerStatus.PAUSED;
import static io.berth.engine.container.ContainerStatus.REMOVING;
import static io.berth.engine.container.ContainerStatus.RESTARTING;
import static io.berth.engine.container.ContainerStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state machine's guards and transitions, state by state. */
class ContainerStateTest {
    private static final Map<Move, Set<ContainerStatus>> ALLOWED = Map.of(
            Move.START, EnumSet.of(CREATED, EXITED, RESTARTING),
            Move.PAUSE, EnumSet.of(RUNNING),
            Move.UNPAUSE, EnumSet.of(PAUSED),
            Move.EXIT, EnumSet.of(RUNNING, PAUSED, RESTARTING),
            Move.RESTART, EnumSet.of(EXITED),
            Move.REMOVE, EnumSet.of(CREATED, EXITED, RESTARTING, DEAD),
            Move.DIE, EnumSet.of(REMOVING));

    static ContainerState in(ContainerStatus s) {
        return new ContainerState(s, s.isRunning() ? 42 : 0, 3, "", null, null, false, 1, false, null);
    }

    @Test
    void eachMoveIsAllowedFromItsStatesOnly() {
        for (Move m : Move.values()) {
            for (ContainerStatus s : ContainerStatus.values()) {
                ContainerState st = in(s);
                boolean allowed = ALLOWED.get(m).contains(s);
                assertThat(st.allows(m)).as("%s from %s", m, s).isEqualTo(allowed);
                if (allowed) {
                    st.check("c1", m);
                } else {
                    assertThatThrownBy(() -> st.check("c1", m)).as("%s from %s", m, s).isInstanceOf(BerthException.Conflict.class);
                }
            }
        }
    }

    @Test
    void refusalsCarryDockersMessages() {
        assertThatThrownBy(() -> in(PAUSED).paused("c1")).hasMessage("Container c1 is already paused");
        assertThatThrownBy(() -> in(EXITED).paused("c1")).hasMessage("Container c1 is not running");
        assertThatThrownBy(() -> in(RESTARTING).paused("c1")).hasMessage("Container c1 is not running");
        assertThatThrownBy(() -> in(RUNNING).unpaused("c1")).hasMessage("Container c1 is not paused");
        assertThatThrownBy(() -> in(DEAD).running("c1", 7, Instant.EPOCH))
                .hasMessage("container c1 is marked for removal and cannot be started");
        assertThatThrownBy(() -> in(REMOVING).running("c1", 7, Instant.EPOCH))
                .hasMessage("container c1 is marked for removal and cannot be started");
        assertThatThrownBy(() -> in(RUNNING).removing("c1")).hasMessage("container c1 did not stop; cannot remove it");
        assertThatThrownBy(() -> in(REMOVING).removing("c1")).hasMessage("removal of container c1 is already in progress");
        assertThatThrownBy(() -> in(CREATED).exited("c1", 0, Instant.EPOCH, false)).hasMessage("Container c1 is not running");
    }

    @Test
    void transitionsSetWhatTheyMean() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        ContainerState run = ContainerState.created().running("c1", 7, t);
        assertThat(run).isEqualTo(new ContainerState(RUNNING, 7, 0, "", t, null, false, 0, false, null));
        assertThat(run.paused("c1").status()).isEqualTo(PAUSED);
        assertThat(run.paused("c1").unpaused("c1")).isEqualTo(run);
        ContainerState exit = run.stoppedByUser().exited("c1", 137, t.plusSeconds(1), true);
        assertThat(exit).isEqualTo(new ContainerState(EXITED, 0, 137, "", t, t.plusSeconds(1), true, 0, true, null));
        ContainerState restarting = run.exited("c1", 1, t, false).restarting("c1");
        assertThat(restarting.status()).isEqualTo(RESTARTING);
        assertThat(restarting.restartCount()).isEqualTo(1);
        assertThat(restarting.stopped("c1").status()).isEqualTo(EXITED);
        ContainerState dead = exit.removing("c1").dead("c1", "busy");
        assertThat(dead).isEqualTo(new ContainerState(DEAD, 0, 137, "busy", t, t.plusSeconds(1), true, 0, true, null));
        assertThat(dead.removing("c1").status()).isEqualTo(REMOVING);
    }

    @Test
    void aFailedStartKeepsACreatedContainerCreatedAndEndsARestartingOne() {
        assertThat(ContainerState.created().failedToStart("c1", 127, "not found"))
                .isEqualTo(new ContainerState(CREATED, 0, 127, "not found", null, null, false, 0, false, null));
        assertThat(in(EXITED).failedToStart("c1", 126, "denied").status()).isEqualTo(EXITED);
        assertThat(in(RESTARTING).failedToStart("c1", 128, "oops").status()).isEqualTo(EXITED);
    }

    @Test
    void theWireNamesAreDockers() {
        assertThat(EnumSet.allOf(ContainerStatus.class)).extracting(ContainerStatus::wire)
                .containsExactly("created", "running", "paused", "restarting", "removing", "exited", "dead");
    }
}
