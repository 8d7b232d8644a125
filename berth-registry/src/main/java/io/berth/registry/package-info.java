/**
 * {@code berth registry}: an OCI distribution-spec v1.1 and Docker Registry HTTP API v2 server. Storage follows
 * Berth's content-store design (verified ingest, then rename; blobs shared by every repository), the HTTP layer is
 * berth-http's server with OCI's {@code {"errors":[…]}} bodies, and access goes through
 * {@link io.berth.registry.auth.RegistryAccess}.
 */
package io.berth.registry;
