package io.berth.oci;

import io.berth.oci.Descriptor;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An OCI image index (also reads Docker manifest lists). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Index(int schemaVersion, String mediaType, List<Descriptor> manifests) {
    public static Index of(List<Descriptor> manifests) { return new Index(2, MediaTypes.OCI_INDEX, List.copyOf(manifests)); }
}
