package io.berth.engine.distribution;

import io.berth.engine.archive.Compression;
import io.berth.oci.Digest;

/** The blob pushed for a layer: the layer's own blob when it is compressed, else the gzip blob made of it. */
record LayerBlob(Digest diffId, Digest digest, long size, Compression.Kind compression) {}
