package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryConfigViewTest {
    @Test void defaultsAreLoopbackAndDockerHub() {
        var v = new RegistryConfigView(RegistryOptions.defaults(Path.of("/c")));
        Map<String, Object> info = v.info();
        assertThat(info.get("InsecureRegistryCIDRs")).isEqualTo(List.of("::1/128", "127.0.0.0/8"));
        assertThat(info.get("Mirrors")).isEqualTo(List.of());
        assertThat(info.get("IndexConfigs")).isEqualTo(Map.of("docker.io",
                Map.of("Name", "docker.io", "Mirrors", List.of(), "Secure", true, "Official", true)));
    }

    @Test void insecureHostsCidrsAndMirrorsAsDockerd() {
        var v = new RegistryConfigView(new RegistryOptions(List.of("https://mirror.example/"),
                List.of("10.0.0.0/8", "myreg:5000", "127.0.0.0/8"), Path.of("/c"), 3, 5));
        Map<String, Object> info = v.info();
        assertThat(info.get("InsecureRegistryCIDRs")).isEqualTo(List.of("10.0.0.0/8", "127.0.0.0/8", "::1/128"));
        assertThat(info.get("Mirrors")).isEqualTo(List.of("https://mirror.example/"));
        @SuppressWarnings("unchecked") Map<String, Object> index = (Map<String, Object>) info.get("IndexConfigs");
        assertThat(index.keySet()).containsExactly("myreg:5000", "docker.io");
        assertThat(index.get("myreg:5000")).isEqualTo(Map.of("Name", "myreg:5000", "Mirrors", List.of(), "Secure", false, "Official", false));
        assertThat(index.get("docker.io")).isEqualTo(Map.of("Name", "docker.io", "Mirrors", List.of("https://mirror.example/"),
                "Secure", true, "Official", true));
    }
}
