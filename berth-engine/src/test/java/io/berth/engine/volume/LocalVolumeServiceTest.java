package io.berth.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.Filters;
import io.berth.api.volume.Volume;
import io.berth.api.volume.VolumeCreateRequest;
import io.berth.engine.events.EventBus;
import io.berth.engine.sys.FakeSys;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volumes made through the API: one asked for without a name is anonymous, as in moby, so a default prune takes it. No root. */
class LocalVolumeServiceTest {
    @TempDir Path root;

    @Test
    void aVolumeCreatedWithoutANameIsAnonymousAndPruned() {
        LocalVolumeService volumes = new LocalVolumeService(root.resolve("volumes"), root.resolve("containers"), new EventBus(), new FakeSys());
        Volume unnamed = volumes.create(new VolumeCreateRequest("", null, null, Map.of("team", "a")));
        Volume named = volumes.create(new VolumeCreateRequest("kept", null, null, null));
        assertThat(unnamed.name()).matches("[0-9a-f]{64}");
        assertThat(unnamed.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "a", LocalVolumeService.ANONYMOUS_LABEL, ""));
        assertThat(named.labels()).isNullOrEmpty();

        assertThat(volumes.prune(Filters.parse(null), true).volumesDeleted()).containsExactly(unnamed.name());
        assertThat(volumes.list(Filters.parse(null)).volumes()).extracting(Volume::name).containsExactly("kept");
    }
}
