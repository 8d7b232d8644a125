package io.berth.oci;

import io.berth.oci.Descriptor;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An OCI image manifest (also reads Docker schema 2 manifests, which have the same shape). {@code layers} is always
 * written, as the spec requires, and never null: an image of no layer (built {@code FROM scratch}) has {@code []}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Manifest(int schemaVersion, String mediaType, Descriptor config,
                       @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> layers, Map<String, String> annotations) {
    public Manifest {
        layers = layers == null ? List.of() : layers;
    }

    public static Manifest oci(Descriptor config, List<Descriptor> layers) {
        return new Manifest(2, MediaTypes.OCI_MANIFEST, config, List.copyOf(layers), null);
    }
}
