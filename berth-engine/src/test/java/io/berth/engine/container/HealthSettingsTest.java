package io.berth.engine.container;

import io.berth.api.Json;
import io.berth.api.container.HealthConfig;
import io.berth.api.errors.BerthException;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.runtime.spec.ConfigMerge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Docker's health check settings: defaults, the probe's command, NONE, validation, the merge with the image's. */
class HealthSettingsTest {
    static ContainerConfig config(String json) throws Exception {
        return Json.wire().readValue(json, ContainerConfig.class);
    }

    @Test
    void defaultsAndTheShellForm() throws Exception {
        HealthSettings s = HealthSettings.of(config("{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f x\"]}}"));
        assertThat(s).isEqualTo(new HealthSettings(List.of("/bin/sh", "-c", "curl -f x"), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(5), 3));
        HealthSettings shell = HealthSettings.of(config("{\"Shell\":[\"/bin/bash\",\"-ec\"],\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"true\"],"
                + "\"Interval\":1000000000,\"Timeout\":500000000,\"StartPeriod\":2000000000,\"StartInterval\":100000000,\"Retries\":1}}"));
        assertThat(shell).isEqualTo(new HealthSettings(List.of("/bin/bash", "-ec", "true"), Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMillis(100), 1));
        assertThat(HealthSettings.of(config("{\"Healthcheck\":{\"Test\":[\"CMD\",\"/bin/check\",\"-v\"]}}")).argv())
                .containsExactly("/bin/check", "-v");
    }

    @Test
    void noneEmptyOrAbsentIsNoHealthCheckAndAnUnknownTypeIsNeverProbed() throws Exception {
        assertThat(HealthSettings.of(config("{\"Healthcheck\":{\"Test\":[\"NONE\"]}}"))).isNull();
        assertThat(HealthSettings.of(config("{\"Healthcheck\":{\"Test\":[]}}"))).isNull();
        assertThat(HealthSettings.of(config("{}"))).isNull();
        assertThat(HealthSettings.of(config("{\"Healthcheck\":{\"Test\":[\"FOO\",\"x\"]}}")).argv()).isNull();
    }

    @Test
    void validationAsMoby() {
        assertThatThrownBy(() -> HealthSettings.validate(new HealthConfig(List.of("CMD", "true"), 100_000L, null, null, null, null)))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("Interval in Healthcheck cannot be less than 1ms");
        assertThatThrownBy(() -> HealthSettings.validate(new HealthConfig(null, null, 5L, null, null, null)))
                .hasMessage("Timeout in Healthcheck cannot be less than 1ms");
        assertThatThrownBy(() -> HealthSettings.validate(new HealthConfig(null, null, null, null, null, -1)))
                .hasMessage("Retries in Healthcheck cannot be negative");
        assertThatThrownBy(() -> HealthSettings.validate(new HealthConfig(null, null, null, 1L, null, null)))
                .hasMessage("StartPeriod in Healthcheck cannot be less than 1ms");
        assertThatThrownBy(() -> HealthSettings.validate(new HealthConfig(null, null, null, null, 1L, null)))
                .hasMessage("StartInterval in Healthcheck cannot be less than 1ms");
        HealthSettings.validate(new HealthConfig(List.of("CMD", "true"), 0L, 1_000_000L, 0L, null, 0));
    }

    @Test
    void theRequestsFieldsOverTheImagesOnesFieldByField() throws Exception {
        ContainerConfig image = config("{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"check\"],\"Interval\":5000000000,\"Retries\":2}}");
        ContainerConfig user = config("{\"Healthcheck\":{\"Test\":[],\"Interval\":0,\"Timeout\":1000000000}}");
        Object merged = ConfigMerge.merge(user, image).healthcheck();
        assertThat(Json.wire().writeValueAsString(merged))
                .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"check\"],\"Interval\":5000000000,\"Timeout\":1000000000,\"Retries\":2}");
        Object none = ConfigMerge.merge(config("{\"Healthcheck\":{\"Test\":[\"NONE\"]}}"), image).healthcheck();
        assertThat(HealthSettings.config(none).test()).containsExactly("NONE");
        assertThat(Json.wire().writeValueAsString(ConfigMerge.merge(config("{}"), image).healthcheck()))
                .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"check\"],\"Interval\":5000000000,\"Retries\":2}");
        assertThat(ConfigMerge.merge(config("{}"), config("{}")).healthcheck()).isNull();
    }
}
