package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.container.HostConfig;
import io.berth.api.container.LogConfig;
import io.berth.api.errors.BerthException;
import java.util.List;
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
    void theRuntimeIsTheDefaultUnlessNamedAndAnUnknownOneIsRefused() {
        var crun = new io.berth.engine.runtime.ConfiguredRuntime("crun", "/usr/bin/crun", java.nio.file.Path.of("/usr/bin/crun"), List.of());
        var runc = new io.berth.engine.runtime.ConfiguredRuntime("runc", "runc", java.nio.file.Path.of("/usr/sbin/runc"), List.of());
        var runtimes = new io.berth.engine.runtime.Runtimes(Map.of("crun", crun, "runc", runc), "crun");
        assertThat(ContainerValidation.runtime(new HostConfig.Builder().build(), runtimes).runtime()).isEqualTo("crun");
        HostConfig.Builder b = new HostConfig.Builder();
        b.runtime = "runc";
        assertThat(ContainerValidation.runtime(b.build(), runtimes).runtime()).isEqualTo("runc");
        b.runtime = "kata";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ContainerValidation.runtime(b.build(), runtimes))
                .isInstanceOf(io.berth.api.errors.BerthException.InvalidArgument.class)
                .hasMessage("Unknown runtime specified kata");
    }

    @Test
    void logOptionsAreCheckedPerDriverWithDockersMessages() {
        assertThatThrownBy(() -> ContainerValidation.logConfig(new LogConfig("foo", Map.of())))
                .isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("error looking up logging plugin foo: plugin \"foo\" not found");
        assertThatThrownBy(() -> ContainerValidation.logConfig(new LogConfig("local", Map.of("labels", "a"))))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("unknown log opt 'labels' for log driver local");
        assertThatThrownBy(() -> ContainerValidation.logConfig(new LogConfig("json-file", Map.of("foo", "1"))))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("unknown log opt 'foo' for json-file log driver");
        assertThatThrownBy(() -> ContainerValidation.logConfig(new LogConfig("", Map.of("foo", "1"))))
                .as("no driver named: the daemon's json-file").hasMessage("unknown log opt 'foo' for json-file log driver");
        assertThatThrownBy(() -> ContainerValidation.logConfig(new LogConfig("json-file", Map.of("mode", "x"))))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("logger: logging mode not supported: x");
        assertThatThrownBy(() -> ContainerValidation.logConfig(new LogConfig("local", Map.of("max-buffer-size", "1m"))))
                .isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("logger: max-buffer-size option is only supported with 'mode=non-blocking'");

        assertThatCode(() -> ContainerValidation.logConfig(new LogConfig("none", Map.of("foo", "1")))).doesNotThrowAnyException();
        assertThatCode(() -> ContainerValidation.logConfig(new LogConfig("json-file",
                Map.of("labels", "a", "env", "E", "tag", "t", "max-file", "2", "mode", "non-blocking", "max-buffer-size", "1m"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> ContainerValidation.logConfig(new LogConfig("local", Map.of("max-file", "2", "compress", "false"))))
                .doesNotThrowAnyException();
    }
}
