package io.berth.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogDetailsTest {
    private static String prefix(Map<String, String> attrs) {
        return new String(LogDetails.prefix(attrs), StandardCharsets.UTF_8);
    }

    @Test
    void pairsJoinedByCommasThenASpace() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("E", "x");
        attrs.put("a", "1");
        assertThat(prefix(attrs)).isEqualTo("E=x,a=1 ");
    }

    @Test
    void noAttributesIsALeadingSpace() {
        assertThat(prefix(Map.of())).isEqualTo(" ");
    }

    @Test
    void keysAndValuesAreQueryEscapedAsGo() {
        assertThat(LogDetails.queryEscape("a b,c=d/é~*")).isEqualTo("a+b%2Cc%3Dd%2F%C3%A9~%2A");
    }
}
