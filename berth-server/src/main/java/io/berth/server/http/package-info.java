/**
 * Berth's own small blocking HTTP/1.1 server for the Docker Engine API.
 *
 * <p>Design (decided, see DESIGN.md): no Netty. Listeners are JDK {@code ServerSocketChannel}s bound
 * to a {@code UnixDomainSocketAddress} (the default {@code unix:///run/berth/berth.sock}) or an
 * {@code InetSocketAddress} ({@code -H tcp://host:port}). Each accepted connection gets one virtual
 * thread that reads requests with a small codec ({@link io.berth.server.http.HttpCodec}: request
 * line and header limits, {@code Content-Length} and chunked bodies, keep-alive,
 * {@code Expect: 100-continue}) and writes fixed-length or chunked responses. Blocking I/O on
 * virtual threads is the project's convention, and it makes hijacked streams (attach, exec) a
 * plain hand-off of the socket's streams to the handler ({@link io.berth.server.http.Response#hijack()}).
 *
 * <p>Routing ({@link io.berth.server.http.Router}) strips the optional {@code /v1.NN} prefix,
 * matches {@code {name:.*}}-style patterns and checks the API version range. Every exception a
 * handler throws is turned into a status and {@code {"message": …}} by exactly one class,
 * {@link io.berth.server.http.ErrorMapper}.
 */
package io.berth.server.http;
