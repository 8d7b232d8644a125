package io.berth.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** An OCI content descriptor. {@code platform} is only set in indexes. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations, Platform platform) {
    public Descriptor(String mediaType, Digest digest, long size) { this(mediaType, digest.toString(), size, null, null); }

    public Digest digestValue() { return Digest.parse(digest); }

    public Descriptor withAnnotations(Map<String, String> a) { return new Descriptor(mediaType, digest, size, a, platform); }

    public String annotation(String key) { return annotations == null ? null : annotations.get(key); }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Platform(String architecture, String os, String variant) {}
}
