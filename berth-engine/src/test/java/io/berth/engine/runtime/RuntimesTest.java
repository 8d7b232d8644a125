package io.berth.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimesTest {
    private static final ConfiguredRuntime RUNC = new ConfiguredRuntime("runc", "runc", Path.of("/usr/sbin/runc"), List.of());
    private static final ConfiguredRuntime CRUN = new ConfiguredRuntime("crun", "/usr/bin/crun", Path.of("/usr/bin/crun"), List.of());

    @Test
    void aClosedSetWithADefaultThatMustBeInIt() {
        Runtimes r = new Runtimes(Map.of("runc", RUNC, "crun", CRUN), "crun");
        assertThat(r.byName().keySet()).containsExactly("crun", "runc");
        assertThat(r.get("runc")).isEqualTo(RUNC);
        assertThatThrownBy(() -> r.get("kata")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("Unknown runtime specified kata");
        assertThatThrownBy(() -> new Runtimes(Map.of("runc", RUNC), "kata")).isInstanceOf(BerthException.InvalidArgument.class)
                .hasMessage("specified default runtime 'kata' does not exist");
    }

    @Test
    void theStockRuntimeNameIsReservedAndAnAddedRuntimeMustExist() {
        assertThatThrownBy(() -> Runtimes.of(Map.of("runc", new Runtimes.Added("/x", List.of())), null, true))
                .hasMessage("runtime name 'runc' is reserved");
        assertThatThrownBy(() -> Runtimes.of(Map.of("gone", new Runtimes.Added("/nonexistent/rt", List.of())), null, true))
                .hasMessage("runtime gone: /nonexistent/rt is not an executable file");
    }

    @Test
    void crunIsTheDefaultWhereItIsInstalledAndMayBe() {
        Runtimes found = Runtimes.of(Map.of(), null, true);
        String expected = Binaries.find("crun").isPresent() ? "crun" : "runc";
        assertThat(found.defaultName()).isEqualTo(expected);
        assertThat(Runtimes.of(Map.of(), null, false).defaultName()).isEqualTo("runc");
        assertThat(Runtimes.of(Map.of(), "runc", true).defaultName()).isEqualTo("runc");
    }
}
