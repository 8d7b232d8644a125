package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.Json;
import org.junit.jupiter.api.Test;

class ImageCommitterTest {
    private static ObjectNode json(String s) throws Exception { return (ObjectNode) Json.plain().readTree(s); }

    @Test void mergeFillsWhatTheUserLeftEmptyAsMoby() throws Exception {
        ObjectNode user = json("{\"Env\":[\"A=1\"],\"Cmd\":null,\"Entrypoint\":null,\"Labels\":{\"x\":\"1\"},\"WorkingDir\":\"\"}");
        ObjectNode container = json("{\"User\":\"nobody\",\"Env\":[\"A=0\",\"B=2\"],\"Cmd\":[\"sh\"],\"Entrypoint\":[\"/init\"],"
                + "\"Labels\":{\"x\":\"0\",\"y\":\"2\"},\"WorkingDir\":\"/w\",\"ExposedPorts\":{\"80/tcp\":{}}}");
        ImageCommitter.merge(user, container);
        assertThat(user.get("Env").toString()).isEqualTo("[\"A=1\",\"B=2\"]");
        assertThat(user.get("Cmd").toString()).isEqualTo("[\"sh\"]");
        assertThat(user.get("Entrypoint").toString()).isEqualTo("[\"/init\"]");
        assertThat(user.get("Labels").toString()).isEqualTo("{\"x\":\"1\",\"y\":\"2\"}");
        assertThat(user.get("User").asText()).isEqualTo("nobody");
        assertThat(user.get("WorkingDir").asText()).isEqualTo("/w");
        assertThat(user.get("ExposedPorts").has("80/tcp")).isTrue();
    }

    @Test void anEntrypointGivenKeepsTheUsersCmd() throws Exception {
        ObjectNode user = json("{\"Entrypoint\":[\"/e\"],\"Cmd\":null}");
        ImageCommitter.merge(user, json("{\"Cmd\":[\"sh\"],\"Entrypoint\":[\"/init\"]}"));
        assertThat(user.get("Entrypoint").toString()).isEqualTo("[\"/e\"]");
        assertThat(user.get("Cmd").isNull()).isTrue();
    }
}
