package io.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private static final Descriptor CONFIG = new Descriptor(MediaTypes.OCI_CONFIG,
            Digest.parse("sha256:" + "a".repeat(64)), 2);

    @Test
    void anImageOfNoLayerWritesAnEmptyLayerListAndReadsItBack() throws Exception {
        byte[] json = Json.plain().writeValueAsBytes(Manifest.oci(CONFIG, List.of()));

        assertThat(new String(json)).contains("\"layers\":[]");
        assertThat(Json.plain().readValue(json, Manifest.class).layers()).isEmpty();
    }

    @Test
    void aManifestWithoutLayersReadsAsNoLayer() throws Exception {
        String json = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"sha256:"
                + "a".repeat(64) + "\",\"size\":2}}";

        assertThat(Json.plain().readValue(json, Manifest.class).layers()).isEmpty();
    }
}
