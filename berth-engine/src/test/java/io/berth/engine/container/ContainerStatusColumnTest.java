package io.berth.engine.container;

import io.berth.api.container.Health;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ps Status column with a health check: "(healthy)", "(unhealthy)", "(health: starting)"; hidden while paused. */
class ContainerStatusColumnTest {
    static ContainerState running(Health h) {
        return ContainerState.created().running("x", 1, Instant.now().minusSeconds(3)).withHealth(h);
    }

    @Test
    void showsTheHealthOfARunningContainer() {
        assertThat(ContainerViews.status(running(new Health(Health.HEALTHY, 0, List.of())))).isEqualTo("Up 3 seconds (healthy)");
        assertThat(ContainerViews.status(running(new Health(Health.UNHEALTHY, 3, List.of())))).isEqualTo("Up 3 seconds (unhealthy)");
        assertThat(ContainerViews.status(running(new Health(Health.STARTING, 0, List.of()))))
                .isEqualTo("Up 3 seconds (health: starting)");
        assertThat(ContainerViews.status(running(null))).isEqualTo("Up 3 seconds");
    }

    @Test
    void aPausedContainerShowsPausedOnly() {
        ContainerState paused = running(new Health(Health.UNHEALTHY, 0, List.of())).paused("x");
        assertThat(ContainerViews.status(paused)).isEqualTo("Up 3 seconds (Paused)");
    }
}
