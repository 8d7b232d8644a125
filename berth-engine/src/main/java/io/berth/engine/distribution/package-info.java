/**
 * The registry client and the operations on it: pull, push, login, distribution inspect (moby's
 * {@code distribution} and {@code registry} packages). {@link io.berth.engine.distribution.RegistryClient} opens a
 * {@link io.berth.engine.distribution.RepositorySession} per repository and credentials: endpoint choice (mirrors,
 * insecure registries, TLS from the certs directory), Basic and Bearer-token authentication, redirects that never
 * carry credentials to another host, retries. The pull and push operations use only that session, so they can be
 * tested against an in-process registry.
 *
 * <p>The client, one job per class: {@code RegistryEndpoints} (which endpoints, in which order) with
 * {@code InsecureRegistries}; {@code RegistryTls} (CA and client certificates per registry);
 * {@code RegistryTransport} (HTTP exchanges: credentials only for the registry's own host, retries with backoff,
 * header timeouts); {@code RegistryConnection} (the endpoint that answered the {@code /v2/} ping);
 * {@code RegistryAuthorizer} and {@code TokenService} (Basic, Bearer tokens, refresh tokens, the token cache);
 * {@code HttpRepositorySession} (the distribution API calls) with {@code BoundedBlobStream} (blobs held to their
 * size) and {@code MirroredSession} (mirrors first for Docker Hub pulls); {@code RegistryLogin};
 * {@code RegistryErrors} (registry error bodies in Docker's words).
 */
package io.berth.engine.distribution;
