/**
 * The distribution spec's values that every layer of the registry shares: {@link io.berth.registry.spec.BlobDigest}
 * (sha256 and sha512), {@link io.berth.registry.spec.RepositoryName} (the name and tag grammars) and
 * {@link io.berth.registry.spec.RegistryError} (a refusal with the spec's status and code).
 */
package io.berth.registry.spec;
