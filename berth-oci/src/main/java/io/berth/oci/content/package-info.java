/**
 * The content store's role interfaces, after containerd's split of {@code content.Store}: a
 * {@link io.berth.oci.content.ContentProvider} reads blobs, a
 * {@link io.berth.oci.content.ContentIngester} writes them through a verified
 * {@link io.berth.oci.content.ContentWriter}, a {@link io.berth.oci.content.ContentManager} lists
 * and deletes them. Consumers take the narrowest one; the engine's store and, later, the registry
 * server's implement them.
 */
package io.berth.oci.content;
