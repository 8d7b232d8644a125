package io.berth.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.api.errors.BerthException;
import io.berth.http.HttpProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    static ErrorMapper.ApiError map(Throwable t) { return ErrorMapper.map(t); }

    @Test void engineErrorsMapToDockersStatuses() {
        assertThat(map(new BerthException.NotFound("No such image: x"))).isEqualTo(new ErrorMapper.ApiError(404, "No such image: x"));
        assertThat(map(new BerthException.InvalidArgument("bad")).status()).isEqualTo(400);
        assertThat(map(new BerthException.Conflict("in use")).status()).isEqualTo(409);
        assertThat(map(new BerthException.Unauthorized("who")).status()).isEqualTo(401);
        assertThat(map(new BerthException.Forbidden("no")).status()).isEqualTo(403);
        assertThat(map(new BerthException.NotImplemented("later")).status()).isEqualTo(501);
        assertThat(map(new BerthException.Unavailable("down", null)).status()).isEqualTo(503);
        assertThat(map(new BerthException.SystemError("disk full", null))).isEqualTo(new ErrorMapper.ApiError(500, "disk full"));
    }

    @Test void argumentAndJsonErrorsAre400() {
        assertThat(map(new IllegalArgumentException("invalid filter 'x'"))).isEqualTo(new ErrorMapper.ApiError(400, "invalid filter 'x'"));
        Throwable json = null;
        try {
            Json.wire().readValue("{nope", JsonNode.class);
        } catch (IOException e) {
            json = e;
        }
        ErrorMapper.ApiError e = map(json);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.message()).startsWith("invalid JSON: ");
        assertThat(map(new HttpProtocolException(431, "too big")).status()).isEqualTo(431);
    }

    @Test void wrappersAreLookedThrough() {
        assertThat(map(new CompletionException(new BerthException.NotFound("x"))).status()).isEqualTo(404);
        assertThat(map(new UncheckedIOException(new com.fasterxml.jackson.core.JsonParseException(null, "x"))).status()).isEqualTo(400);
    }

    @Test void bugsAre500WithoutDetails() {
        ErrorMapper.ApiError e = map(new NullPointerException("secret internals"));
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.message()).doesNotContain("secret internals");
    }
}
