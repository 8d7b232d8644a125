package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.Filters;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.DistributionInspect;
import io.berth.engine.distribution.FakeRegistry.Built;
import io.berth.engine.distribution.FakeRegistry.Compress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /distribution/{name}/json and search's error, through the service. */
class DistributionInspectorTest {
    final FakeRegistry registry = new FakeRegistry();
    final LocalDistributionService service = new LocalDistributionService(registry, null, null);

    @Test
    void anIndexListsEveryPlatform() throws Exception {
        Built amd = registry.image(null, true, "amd64", null, Compress.GZIP, Map.of("a", "a".getBytes()));
        Built arm = registry.image(null, true, "arm", "v7", Compress.GZIP, Map.of("a", "b".getBytes()));
        FetchedManifest index = registry.index("1", true, List.of(amd, arm));
        DistributionInspect got = service.inspect("localhost:5000/app:1", null);
        assertThat(got.descriptor()).isEqualTo(new DistributionInspect.Descriptor(index.mediaType(), index.digest().toString(), index.body().length));
        assertThat(got.platforms()).extracting(DistributionInspect.Platform::architecture).containsExactly("amd64", "arm");
        assertThat(got.platforms().get(1).variant()).isEqualTo("v7");
        assertThat(got.platforms().get(1).os()).isEqualTo("linux");
        assertThat(io.berth.api.Json.wire().writeValueAsString(got.platforms().getFirst()))
                .isEqualTo("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
    }

    @Test
    void aSingleManifestTakesItsPlatformFromTheConfig() throws Exception {
        Built b = registry.image("latest", false, "arm64", null, Compress.GZIP, Map.of("a", "a".getBytes()));
        DistributionInspect got = service.inspect("localhost:5000/app", null);
        assertThat(got.descriptor().digest()).isEqualTo(b.manifest().digest().toString());
        assertThat(got.descriptor().mediaType()).isEqualTo(b.manifest().mediaType());
        assertThat(got.platforms()).singleElement().satisfies(p -> {
            assertThat(p.architecture()).isEqualTo("arm64");
            assertThat(p.os()).isEqualTo("linux");
        });
        assertThat(service.inspect("localhost:5000/app@" + b.manifest().digest(), null).descriptor().digest())
                .isEqualTo(b.manifest().digest().toString());
    }

    @Test
    void aMissingNameIsNotFound() {
        assertThatThrownBy(() -> service.inspect("localhost:5000/app:nope", null)).isInstanceOf(BerthException.NotFound.class)
                .hasMessage("manifest for localhost:5000/app:nope not found: manifest unknown: manifest unknown");
    }

    @Test
    void searchSaysWhatDockerdSaysForARegistryWithoutV1Search() {
        assertThatThrownBy(() -> service.search("localhost:5000/app", 25, Filters.parse(null), null))
                .isInstanceOf(BerthException.SystemError.class).hasMessage("Unexpected status code 404");
        assertThatThrownBy(() -> service.search("busybox", 25, Filters.parse(null), null))
                .isInstanceOf(BerthException.Unavailable.class).hasMessageContaining("https://index.docker.io/v1/search?q=busybox&n=25");
    }

    @Test
    void searchFiltersTheRegistrysResultsAsDockerd() {
        var official = new io.berth.api.registry.SearchResult("app", "", 10, true, false);
        var popular = new io.berth.api.registry.SearchResult("team/app", "", 5, false, false);
        var fresh = new io.berth.api.registry.SearchResult("me/app", "", 0, false, true);
        registry.searchResults = List.of(official, popular, fresh);
        assertThat(service.search("localhost:5000/app", 25, Filters.parse(null), null)).containsExactly(official, popular, fresh);
        assertThat(service.search("localhost:5000/app", 25, Filters.parse("{\"stars\":[\"5\"]}"), null)).containsExactly(official, popular);
        assertThat(service.search("localhost:5000/app", 25, Filters.parse("{\"is-official\":[\"true\"]}"), null)).containsExactly(official);
        assertThat(service.search("localhost:5000/app", 25, Filters.parse("{\"is-automated\":[\"true\"]}"), null)).containsExactly(fresh);
    }
}
