package io.berth.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerConfigJsonTest {
    @Test
    void theFieldsGoTagsOmitemptyAreLeftOutWhenEmpty() throws Exception {
        ContainerConfig c = new ContainerConfig("", "", "", false, false, false, Map.of(), false, false, false, List.of("A=1"),
                List.of("sh"), null, false, "", null, "", null, false, "", null, null, "", null, List.of());

        String json = Json.wire().writeValueAsString(c);

        assertThat(json).doesNotContain("ExposedPorts", "Healthcheck", "ArgsEscaped", "NetworkDisabled", "MacAddress",
                "StopSignal", "StopTimeout", "Shell");
        assertThat(json).contains("\"Volumes\":null", "\"Entrypoint\":null", "\"OnBuild\":null", "\"Labels\":null",
                "\"Cmd\":[\"sh\"]", "\"AttachStdin\":false");
    }

    @Test
    void setFieldsAreWritten() throws Exception {
        ContainerConfig c = new ContainerConfig("", "", "", false, false, false, Map.of("80/tcp", Map.of()), false, false, false,
                null, null, Map.of("Test", List.of("NONE")), true, "", null, "", null, true, "02:42:ac:11:00:02", null, null,
                "SIGTERM", 5, List.of("/bin/sh", "-c"));

        assertThat(Json.wire().writeValueAsString(c)).contains("\"ExposedPorts\":{\"80/tcp\":{}}", "\"Healthcheck\":",
                "\"ArgsEscaped\":true", "\"NetworkDisabled\":true", "\"MacAddress\":\"02:42:ac:11:00:02\"", "\"StopSignal\":\"SIGTERM\"",
                "\"StopTimeout\":5", "\"Shell\":[\"/bin/sh\",\"-c\"]");
    }
}
