package io.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** {@link BuildDisplay}: the classic text off a terminal; step times, cache marks and a summary on one. */
class BuildDisplayTest {
    static final String[] STREAM = {
            "{\"stream\":\"Step 1/3 : FROM busybox\"}", "{\"stream\":\"\\n\"}", "{\"stream\":\" ---> 0123456789ab\\n\"}",
            "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}",
            "{\"status\":\"Downloading\",\"id\":\"abc\",\"progressDetail\":{\"current\":1,\"total\":2},\"progress\":\"[=>  ]\"}",
            "{\"stream\":\"Step 2/3 : ENV A=1\"}", "{\"stream\":\"\\n\"}", "{\"stream\":\" ---> Using cache\\n\"}",
            "{\"stream\":\" ---> 1111111111ab\\n\"}", "{\"stream\":\"Step 3/3 : RUN echo hi\"}", "{\"stream\":\"\\n\"}",
            "{\"stream\":\"hi\\n\"}", "{\"aux\":{\"ID\":\"sha256:2222\"}}", "{\"stream\":\"Successfully built 222222222222\\n\"}"};

    static String show(BuildDisplay d, ByteArrayOutputStream b, String... lines) throws Exception {
        try (d) {
            for (String l : lines) d.accept(Json.wire().readTree(l));
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test void offATerminalItIsTheClassicText() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        BuildDisplay d = new BuildDisplay(new PrintStream(b, true, StandardCharsets.UTF_8), false, Clock.systemUTC());
        assertThat(show(d, b, STREAM)).isEqualTo("Step 1/3 : FROM busybox\n ---> 0123456789ab\nlatest: Pulling from library/busybox\n"
                + "Step 2/3 : ENV A=1\n ---> Using cache\n ---> 1111111111ab\nStep 3/3 : RUN echo hi\nhi\n"
                + "Successfully built 222222222222\n");
        assertThat(d.imageId()).isEqualTo("sha256:2222");
        assertThat(d.error()).isNull();
    }

    @Test void onATerminalEachStepGetsItsTimeOrItsCacheMark() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        BuildDisplay d = new BuildDisplay(new PrintStream(b, true, StandardCharsets.UTF_8), true,
                Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));
        String out = show(d, b, STREAM).replaceAll("\r\u001b\\[2K(\u001b\\[36m[^\r]*\u001b\\[0m\r)?", "");
        assertThat(out).isEqualTo("Step 1/3 : FROM busybox\n ---> 0123456789ab\nlatest: Pulling from library/busybox\n"
                + "\u001b[2m ---> 0.0s\u001b[0m\nStep 2/3 : ENV A=1\n ---> Using cache\n ---> 1111111111ab\n"
                + "\u001b[2m ---> cached\u001b[0m\nStep 3/3 : RUN echo hi\nhi\n\u001b[2m ---> 0.0s\u001b[0m\n"
                + "Successfully built 222222222222\n\u001b[1mBuilt in 0.0s: 3 steps, 1 from cache\u001b[0m\n");
    }

    @Test void theErrorAndItsCodeEndTheDisplay() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        BuildDisplay d = new BuildDisplay(new PrintStream(b, true, StandardCharsets.UTF_8), false, Clock.systemUTC());
        show(d, b, "{\"stream\":\"Step 1/1 : RUN exit 3\"}",
                "{\"errorDetail\":{\"code\":3,\"message\":\"The command '/bin/sh -c exit 3' returned a non-zero code: 3\"},\"error\":\"x\"}",
                "{\"stream\":\"after the error\"}");
        assertThat(d.error()).isEqualTo("The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        assertThat(d.errorCode()).isEqualTo(3);
        assertThat(b.toString(StandardCharsets.UTF_8)).doesNotContain("after the error");
        JsonNode noCode = Json.wire().readTree("{\"error\":\"COPY failed\",\"errorDetail\":{\"message\":\"COPY failed\"}}");
        BuildDisplay other = new BuildDisplay(new PrintStream(new ByteArrayOutputStream()), false, Clock.systemUTC());
        other.accept(noCode);
        assertThat(other.errorCode()).isEqualTo(1);
    }
}
