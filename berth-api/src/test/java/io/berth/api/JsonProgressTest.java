package io.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The progress text as docker's JSONProgress.String() writes it with a width of 200. */
class JsonProgressTest {
    @Test
    void drawsTheBarAndTheCountsInSiUnits() {
        assertThat(JsonProgress.render(1_048_576, 2_097_152))
                .isEqualTo("[" + "=".repeat(25) + ">" + " ".repeat(25) + "]  1.049MB/2.097MB");
        assertThat(JsonProgress.render(2_097_152, 2_097_152))
                .isEqualTo("[" + "=".repeat(50) + ">]  2.097MB/2.097MB");
        assertThat(JsonProgress.render(32_768, 3_276_800))
                .isEqualTo("[>" + " ".repeat(50) + "]  32.77kB/3.277MB");
    }

    @Test
    void dropsTheTotalWhenCurrentExceedsIt() {
        assertThat(JsonProgress.render(2_000, 1_000)).isEqualTo("[" + "=".repeat(50) + ">]      2kB");
    }

    @Test
    void isEmptyWithoutCountsAndBareWithoutTotal() {
        assertThat(JsonProgress.render(0, 0)).isEmpty();
        assertThat(JsonProgress.render(999, 0)).isEqualTo("    999B");
    }

    @Test
    void humanSizeUsesFourSignificantDigits() {
        assertThat(JsonProgress.humanSize(0)).isEqualTo("0B");
        assertThat(JsonProgress.humanSize(1_000)).isEqualTo("1kB");
        assertThat(JsonProgress.humanSize(1_234_567)).isEqualTo("1.235MB");
        assertThat(JsonProgress.humanSize(999_960)).isEqualTo("1000kB");
        assertThat(JsonProgress.humanSize(512_000_000)).isEqualTo("512MB");
    }

    @Test
    void updatesCarryAnEmptyProgressDetail() throws Exception {
        assertThat(Json.wire().writeValueAsString(JsonMessage.update("abc", "Waiting")))
                .isEqualTo("{\"status\":\"Waiting\",\"id\":\"abc\",\"progressDetail\":{}}");
        assertThat(Json.wire().readTree(Json.wire().writeValueAsString(JsonMessage.progressBar("abc", "Downloading", 1, 2)))
                .get("progressDetail").toString()).isEqualTo("{\"current\":1,\"total\":2}");
    }
}
