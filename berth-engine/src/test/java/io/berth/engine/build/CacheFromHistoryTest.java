package io.berth.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import java.util.List;

import org.junit.jupiter.api.Test;

class CacheFromHistoryTest {
    private static final JsonNode BASE = entry("{\"created\":\"t0\",\"comment\":\"Imported from -\"}");
    private static final JsonNode ENV = entry("{\"created\":\"t1\",\"created_by\":\"/bin/sh -c #(nop)  ENV A=1\",\"empty_layer\":true}");
    private static final JsonNode RUN = entry("{\"created\":\"t2\",\"created_by\":\"/bin/sh -c echo hi > /x\"}");
    private static final JsonNode CMD = entry("{\"created\":\"t3\",\"created_by\":\"/bin/sh -c #(nop)  CMD [\\\"sh\\\"]\",\"empty_layer\":true}");

    private static final CacheFromHistory.Candidate BUSYBOX = new CacheFromHistory.Candidate("sha256:b", List.of(BASE), List.of("d0"));
    private static final CacheFromHistory.Candidate LOADED = new CacheFromHistory.Candidate("sha256:l", List.of(BASE, ENV, RUN, CMD),
            List.of("d0", "d1"));

    private static JsonNode entry(String json) {
        try {
            return Json.plain().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aMetadataStepMatchesTheNextHistoryEntryWithoutALayer() {
        var m = CacheFromHistory.match(BUSYBOX, List.of(LOADED), List.of("/bin/sh", "-c", "#(nop) ", "ENV A=1"));

        assertThat(m).isEqualTo(new CacheFromHistory.Step(LOADED, ENV, null));
    }

    @Test
    void aRunStepMatchesWithTheLayerItAdded() {
        var parent = new CacheFromHistory.Candidate("sha256:p", List.of(BASE, ENV), List.of("d0"));

        var m = CacheFromHistory.match(parent, List.of(LOADED), List.of("/bin/sh", "-c", "echo hi > /x"));

        assertThat(m).isEqualTo(new CacheFromHistory.Step(LOADED, RUN, "d1"));
    }

    @Test
    void theLastStepIsTheImageItself() {
        var parent = new CacheFromHistory.Candidate("sha256:p", List.of(BASE, ENV, RUN), List.of("d0", "d1"));

        var m = CacheFromHistory.match(parent, List.of(LOADED), List.of("/bin/sh", "-c", "#(nop) ", "CMD [\"sh\"]"));

        assertThat(m).isEqualTo(new CacheFromHistory.Whole(LOADED));
    }

    @Test
    void anotherCommandOrAParentThatIsNoPrefixMisses() {
        assertThat(CacheFromHistory.match(BUSYBOX, List.of(LOADED), List.of("/bin/sh", "-c", "#(nop) ", "ENV A=2"))).isNull();
        var other = new CacheFromHistory.Candidate("sha256:o", List.of(entry("{\"created\":\"t9\"}")), List.of("d9"));
        assertThat(CacheFromHistory.match(other, List.of(LOADED), List.of("/bin/sh", "-c", "#(nop) ", "ENV A=1"))).isNull();
        var otherLayer = new CacheFromHistory.Candidate("sha256:o", List.of(BASE), List.of("d9"));
        assertThat(CacheFromHistory.match(otherLayer, List.of(LOADED), List.of("/bin/sh", "-c", "#(nop) ", "ENV A=1"))).isNull();
    }

    @Test
    void fromScratchTheFirstEntryIsMatched() {
        var scratchImage = new CacheFromHistory.Candidate("sha256:s", List.of(ENV, CMD), List.of());

        assertThat(CacheFromHistory.match(null, List.of(scratchImage), List.of("/bin/sh", "-c", "#(nop) ", "ENV A=1")))
                .isEqualTo(new CacheFromHistory.Step(scratchImage, ENV, null));
    }
}
