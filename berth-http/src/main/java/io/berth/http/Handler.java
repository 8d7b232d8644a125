package io.berth.http;

/** Serves one request: reads {@link Request}, answers on {@link Response}; what it throws the server's {@link ErrorRenderer} answers. */
@FunctionalInterface
public interface Handler {
    void handle(Request request, Response response) throws Exception;
}
