package io.berth.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.api.ErrorResponse;
import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.http.ErrorRenderer;
import io.berth.http.HttpError;
import io.berth.http.HttpProtocolException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP statuses and Docker's {@code {"message": …}} body;
 * the Docker API's {@link ErrorRenderer}. Unexpected exceptions are 500, logged with their stack
 * trace, and never shown to the client. A JSON stream that already started ends with a
 * {@link JsonMessage#error} line instead.
 */
public final class ErrorMapper implements ErrorRenderer {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    /** What the client is told. */
    public record ApiError(int status, String message) {}

    public ErrorMapper() {}

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

    @Override public HttpError render(Throwable failure) {
        ApiError err = map(failure);
        return new HttpError(err.status(), err.message(), "application/json", json(new ErrorResponse(err.message())));
    }

    @Override public byte[] streamTrailer(HttpError error, String contentType) {
        return contentType.startsWith("application/json") ? json(JsonMessage.error(error.message())) : null;
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
