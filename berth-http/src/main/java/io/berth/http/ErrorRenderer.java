package io.berth.http;

/**
 * How a front tells a client that a request failed, injected into {@link HttpServer}: the Docker
 * API answers {@code {"message": …}}, an OCI registry {@code {"errors": […]}}. The server decides
 * when to use it: a complete error response while nothing was sent yet, else a trailer for a
 * stream that already started, else closing the connection.
 */
public interface ErrorRenderer {
    /**
     * The status and body for {@code failure}, which may be an {@link HttpProtocolException} from
     * the codec or anything a {@link Handler} threw. Called once per failure, so it may log.
     */
    HttpError render(Throwable failure);

    /**
     * The bytes that end a started stream of {@code contentType} with {@code error}, or null when
     * such a stream cannot carry an error (the connection is then closed instead).
     */
    byte[] streamTrailer(HttpError error, String contentType);
}
