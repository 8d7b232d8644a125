package io.berth.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.api.ErrorResponse;
import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP statuses and Docker's {@code {"message": …}} body.
 * Unexpected exceptions are 500, logged with their stack trace, and never shown to the client.
 */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    /** What the client is told. */
    public record ApiError(int status, String message) {}

    private ErrorMapper() {}

    /** Maps an exception to status and message; logs server-side failures. */
    public static ApiError map(Throwable t) {
        Throwable e = unwrap(t);
        return switch (e) {
            case BerthException be -> switch (be) {
                case BerthException.NotFound x -> new ApiError(404, x.getMessage());
                case BerthException.InvalidArgument x -> new ApiError(400, x.getMessage());
                case BerthException.Conflict x -> new ApiError(409, x.getMessage());
                case BerthException.Unauthorized x -> new ApiError(401, x.getMessage());
                case BerthException.Forbidden x -> new ApiError(403, x.getMessage());
                case BerthException.NotImplemented x -> new ApiError(501, x.getMessage());
                case BerthException.Unavailable x -> new ApiError(503, x.getMessage());
                case BerthException.SystemError x -> {
                    LOG.error("system error: {}", x.getMessage(), x);
                    yield new ApiError(500, x.getMessage());
                }
            };
            case HttpProtocolException x -> new ApiError(x.status(), x.getMessage());
            case JsonProcessingException x -> new ApiError(400, "invalid JSON: " + x.getOriginalMessage());
            case IllegalArgumentException x -> new ApiError(400, x.getMessage() == null ? "invalid argument" : x.getMessage());
            default -> {
                LOG.error("internal error", t);
                yield new ApiError(500, "internal server error (" + e.getClass().getSimpleName() + "); see the berthd log");
            }
        };
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException || e instanceof UncheckedIOException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * Answers {@code t} on {@code res}: a JSON error response if nothing was sent yet; a final
     * {@link JsonMessage#error} line if a JSON stream already started. Returns false when the
     * connection cannot be reused (a non-JSON stream was cut short).
     */
    static boolean respond(Throwable t, Request req, Response res) throws IOException {
        ApiError err = map(t);
        if (!res.committed()) {
            if (res.started()) res.reset();
            byte[] body = json(new ErrorResponse(err.message()));
            res.send(err.status(), "application/json", body);
            return true;
        }
        if (res.streaming() && res.contentType() != null && res.contentType().startsWith("application/json")) {
            LOG.debug("{}: error after the stream started: {}", req, err.message());
            // the stream's own writer cannot be reached from here; write through a fresh stream view
            res.writeStreamError(json(JsonMessage.error(err.message())));
            res.finish();
            return true;
        }
        LOG.warn("{}: error after the response started, closing the connection: {}", req, err.message());
        return false;
    }

    private static byte[] json(Object value) {
        try {
            byte[] j = Json.wire().writeValueAsBytes(value);
            byte[] out = new byte[j.length + 1];
            System.arraycopy(j, 0, out, 0, j.length);
            out[j.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            return "{\"message\":\"internal error\"}\n".getBytes(StandardCharsets.UTF_8);
        }
    }
}
