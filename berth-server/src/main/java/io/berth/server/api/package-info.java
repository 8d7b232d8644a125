/**
 * The Docker Engine API routes, one router per resource as moby arranges them
 * ({@code api/server/router/system}, {@code …/image}). Each router takes only the narrow backend
 * interface it calls, parses query parameters with Docker's rules, and leaves every error to
 * {@link io.berth.server.http.ErrorMapper}.
 */
package io.berth.server.api;
