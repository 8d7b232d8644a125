/**
 * The Docker Engine API's side of {@link io.berth.http}: {@link io.berth.server.http.ApiRouter}
 * strips the optional {@code /v1.NN} prefix and checks the API version range before a route's
 * handler runs; every exception a handler throws is turned into a status and
 * {@code {"message": …}} by exactly one class, {@link io.berth.server.http.ErrorMapper}.
 */
package io.berth.server.http;
