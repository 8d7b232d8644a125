package io.berth.engine.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The default seccomp profile is read when a spec first needs it, once, and is the profile the host has. */
class SeccompDefaultProfileTest {
    @Test void readsTheHostsDefaultProfileOnceOnFirstUse() {
        Supplier<JsonNode> profile = Seccomp.defaultProfileOnFirstUse();
        JsonNode first = profile.get();
        assertThat(first).isEqualTo(Seccomp.loadDefaultProfile());
        if (first != null) assertThat(profile.get()).isSameAs(first);
    }
}
