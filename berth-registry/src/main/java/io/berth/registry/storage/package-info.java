/**
 * The registry's storage under its root: {@link io.berth.registry.storage.BlobStore} (verified blobs shared by every
 * repository), {@link io.berth.registry.storage.Uploads} (resumable uploads with their acknowledged offsets) and
 * {@link io.berth.registry.storage.Repositories} (per-repository blob links, manifests, tags and referrers). Every
 * write goes to a temporary file, is fsynced and renamed, so a crash never leaves anything half-written visible.
 */
package io.berth.registry.storage;
