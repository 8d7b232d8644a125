package io.berth.engine.distribution;

import io.berth.oci.Digest;

/**
 * A manifest or index as a registry served it: the exact bytes (verified against {@code digest}: the digest asked
 * for, or the one computed from the bytes when a tag was asked for), and the media type from its
 * {@code Content-Type} (or its {@code mediaType} field).
 */
public record FetchedManifest(String mediaType, Digest digest, byte[] body) {}
