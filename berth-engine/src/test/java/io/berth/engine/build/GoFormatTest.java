package io.berth.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoFormatTest {
    @Test
    void quoteRuneIsGosPercentQOfAnInteger() {
        assertThat(GoFormat.quoteRune(0)).isEqualTo("'\\x00'");
        assertThat(GoFormat.quoteRune(3)).isEqualTo("'\\x03'");
        assertThat(GoFormat.quoteRune(10)).isEqualTo("'\\n'");
        assertThat(GoFormat.quoteRune(65)).isEqualTo("'A'");
        assertThat(GoFormat.quoteRune(39)).isEqualTo("'\\''");
        assertThat(GoFormat.quoteRune(-1)).isEqualTo("'\uFFFD'");
    }

    @Test
    void quoteListAndDurationsAsHealthcheckHistoryShowsThem() {
        assertThat(GoFormat.quoteList(java.util.List.of("CMD-SHELL", "true"))).isEqualTo("[\"CMD-SHELL\" \"true\"]");
        assertThat(GoFormat.quote(GoFormat.duration(java.time.Duration.ofSeconds(5)))).isEqualTo("\"5s\"");
    }
}
