/**
 * The registry client and the operations on it: pull, push, login, distribution inspect (moby's
 * {@code distribution} and {@code registry} packages). {@link io.berth.engine.distribution.RegistryClient} opens a
 * {@link io.berth.engine.distribution.RepositorySession} per repository and credentials: endpoint choice (mirrors,
 * insecure registries, TLS from the certs directory), Basic and Bearer-token authentication, redirects that never
 * carry credentials to another host, retries. The pull and push operations use only that session, so they can be
 * tested against an in-process registry.
 */
package io.berth.engine.distribution;
