/**
 * Berth's own small blocking HTTP/1.1, server and client side, for every front (the Docker
 * Engine API, later the registry) and the Java client.
 *
 * <p>Design (decided, see DESIGN.md): no Netty. Listeners are JDK {@code ServerSocketChannel}s bound
 * to a {@code UnixDomainSocketAddress} or an {@code InetSocketAddress}. Each accepted connection
 * gets one virtual thread that reads requests with one codec ({@link io.berth.http.HttpCodec}:
 * request and response heads within limits, {@code Content-Length} and chunked bodies in both
 * directions, keep-alive, {@code Expect: 100-continue}) and writes fixed-length or chunked
 * responses. Blocking I/O on virtual threads is the project's convention, and it makes hijacked
 * streams a plain hand-off of the socket's streams to the handler
 * ({@link io.berth.http.Response#hijack()}). The client side uses the same codec to write requests
 * and read responses.
 *
 * <p>{@link io.berth.http.Router} matches {@code {name:.*}}-style patterns. What a front adds is
 * injected into {@link io.berth.http.HttpServer}: its {@link io.berth.http.Handler}, the headers
 * of every response, an {@link io.berth.http.ErrorRenderer} that turns failures into its own error
 * body, and the JSON mapper. This package knows nothing of Docker or OCI.
 */
package io.berth.http;
