package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.container.HostConfig;
import io.berth.api.container.LogConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerValidationTest {
    @Test
    void aContainerWithoutALogDriverGetsTheDaemonsJsonFile() {
        HostConfig h = ContainerValidation.hostConfig(new HostConfig.Builder().build());

        assertThat(h.logConfig()).isEqualTo(new LogConfig("json-file", Map.of()));
    }

    @Test
    void aLogDriverWithoutOptionsGetsAnEmptyOptionMap() {
        HostConfig.Builder b = new HostConfig.Builder();
        b.logConfig = new LogConfig("none", null);

        assertThat(ContainerValidation.hostConfig(b.build()).logConfig()).isEqualTo(new LogConfig("none", Map.of()));
    }

    @Test
    void aGivenLogConfigIsKept() {
        HostConfig.Builder b = new HostConfig.Builder();
        b.logConfig = new LogConfig("local", Map.of("max-size", "1m"));

        assertThat(ContainerValidation.hostConfig(b.build()).logConfig()).isEqualTo(new LogConfig("local", Map.of("max-size", "1m")));
    }

    @Test
    void theRuntimeIsRuncUnlessNamedAndAnUnknownOneIsRefused() {
        assertThat(ContainerValidation.hostConfig(new HostConfig.Builder().build()).runtime()).isEqualTo("runc");
        HostConfig.Builder b = new HostConfig.Builder();
        b.runtime = "runc";
        assertThat(ContainerValidation.hostConfig(b.build()).runtime()).isEqualTo("runc");
        b.runtime = "kata";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContainerValidation.hostConfig(b.build()))
                .isInstanceOf(io.berth.api.errors.BerthException.InvalidArgument.class)
                .hasMessage("Unknown runtime specified kata");
    }
}
