/** OCI and Docker values: digests, descriptors, media types, manifests, image configs, references; the content store's role interfaces are in {@link io.berth.oci.content}. */
package io.berth.oci;
