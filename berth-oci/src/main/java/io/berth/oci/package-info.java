/** OCI and Docker values: digests, descriptors, media types, manifests, image configs, references. */
package io.berth.oci;
