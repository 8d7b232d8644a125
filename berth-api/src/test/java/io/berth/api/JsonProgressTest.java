package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The progress text as dockerd's {@code JSONProgress.String()} writes it at width 200. */
class JsonProgressTest {
    @Test
    void sizesAreDecimalWithFourSignificantDigits() {
        assertThat(JsonProgress.humanSize(0)).isEqualTo("0B");
        assertThat(JsonProgress.humanSize(512)).isEqualTo("512B");
        assertThat(JsonProgress.humanSize(999)).isEqualTo("999B");
        assertThat(JsonProgress.humanSize(1000)).isEqualTo("1kB");
        assertThat(JsonProgress.humanSize(1_234_567)).isEqualTo("1.235MB");
        assertThat(JsonProgress.humanSize(32_500_000)).isEqualTo("32.5MB");
        assertThat(JsonProgress.humanSize(2_000_000_000L)).isEqualTo("2GB");
    }

    @Test
    void barAndCountsAsDockerdDrawsThem() {
        assertThat(JsonProgress.bar(0, 0)).isEmpty();
        assertThat(JsonProgress.bar(5, 0)).isEqualTo("      5B");
        assertThat(JsonProgress.bar(1_200_000, 3_400_000))
                .isEqualTo("[" + "=".repeat(17) + ">" + " ".repeat(33) + "]    1.2MB/3.4MB");
        assertThat(JsonProgress.bar(2_797_000, 2_797_000))
                .isEqualTo("[" + "=".repeat(50) + ">]  2.797MB/2.797MB");
        assertThat(JsonProgress.bar(7, 5)).isEqualTo("[" + "=".repeat(50) + ">]       7B");
    }

    @Test
    void messageCarriesDetailAndBar() throws Exception {
        var node = Json.wire().valueToTree(JsonProgress.message("abc", "Pushing", 1, 2));
        assertThat(node.get("status").asText()).isEqualTo("Pushing");
        assertThat(node.get("id").asText()).isEqualTo("abc");
        assertThat(node.get("progressDetail").get("current").asLong()).isEqualTo(1);
        assertThat(node.get("progressDetail").get("total").asLong()).isEqualTo(2);
        assertThat(node.get("progress").asText()).isEqualTo("[" + "=".repeat(25) + ">" + " ".repeat(25) + "]       1B/2B");
    }
}
