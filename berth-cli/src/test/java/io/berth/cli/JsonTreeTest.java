package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTreeTest {
    @Test
    void readsWhatObjectMapperReadsNodeTypesIncluded() throws Exception {
        for (String json : List.of(
                "{}", "[]", "null", "true", "\"x\"", "0", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
                "9223372036854775808", "123456789012345678901234567890", "1.5", "-0.0", "1e300", "3.4E-5", "1E2",
                "{\"a\":1,\"b\":[1,2.5,\"s\",null,true,false,{}],\"c\":{\"d\":{\"e\":[]}}}",
                "{\"a\":1,\"a\":\"later\",\"b\":2}", "[\"\\u00e9\\n\\t\\\"\\\\\", \"日本\"]", "  {\"x\" : [ 1 , 2 ] }  trailing",
                AotTraining.CONTAINERS, AotTraining.VERSION, AotTraining.INFO)) {
            JsonNode expected = Json.wire().readTree(json.getBytes(StandardCharsets.UTF_8));
            JsonNode actual = JsonTree.read(json.getBytes(StandardCharsets.UTF_8));
            assertThat(actual).as(json).isEqualTo(expected);
            assertThat(actual.toString()).as(json).isEqualTo(expected.toString());
        }
    }

    @Test
    void noContentIsAMissingNodeAsForObjectMapper() throws Exception {
        assertThat(JsonTree.read(new byte[0]).isMissingNode()).isTrue();
        assertThat(JsonTree.read("  ".getBytes(StandardCharsets.UTF_8))).isEqualTo(Json.wire().readTree("  "));
    }

    @Test
    void malformedJsonFailsWithTheParsersMessage() {
        byte[] bad = "{\"a\":}".getBytes(StandardCharsets.UTF_8);
        String expected = catchMessage(() -> Json.wire().readTree(bad));
        assertThatThrownBy(() -> JsonTree.read(bad)).isInstanceOf(JsonProcessingException.class).hasMessage(expected);
    }

    private static String catchMessage(ThrowingRead r) {
        try {
            r.read();
            throw new AssertionError("no failure");
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    private interface ThrowingRead {
        void read() throws Exception;
    }
}
