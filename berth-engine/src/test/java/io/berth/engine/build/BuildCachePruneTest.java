package io.berth.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.Filters;
import io.berth.api.errors.BerthException;
import io.berth.engine.service.BuildService.BuildCacheRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildCachePruneTest {
    private static final Instant NOW = Instant.now();

    private static BuildCacheRecord image(String id, String parent, long size, Duration age) {
        String t = NOW.minus(age).toString();
        return new BuildCacheRecord(id, parent, "regular", "build step image", false, false, size, t, t, 1);
    }

    private static BuildCacheRecord mount(String id, long size, Duration age) {
        String t = NOW.minus(age).toString();
        return new BuildCacheRecord(id, null, "exec.cachemount", "cached mount /root/.cache", false, false, size, t, t, 1);
    }

    // children before parents, as Builder.cache() lists them
    private static final BuildCacheRecord CHILD = image("sha256:c", "sha256:p", 100, Duration.ofHours(1));
    private static final BuildCacheRecord PARENT = image("sha256:p", null, 200, Duration.ofHours(48));
    private static final BuildCacheRecord OLD_MOUNT = mount("m1", 300, Duration.ofHours(72));
    private static final BuildCacheRecord NEW_MOUNT = mount("m2", 400, Duration.ofMinutes(5));
    private static final List<BuildCacheRecord> ALL = List.of(CHILD, PARENT, OLD_MOUNT, NEW_MOUNT);

    private static List<String> select(Map<String, List<String>> filters, boolean all, long keep) {
        return BuildCachePrune.select(ALL, new Filters(filters), all, keep).stream().map(BuildCacheRecord::id).toList();
    }

    @Test
    void withoutFiltersEverythingUnusedGoesChildrenFirst() {
        assertThat(select(Map.of(), false, 0)).containsExactly("sha256:c", "sha256:p", "m1", "m2");
        assertThat(select(Map.of(), true, 0)).containsExactly("sha256:c", "sha256:p", "m1", "m2");
    }

    @Test
    void untilKeepsWhatWasUsedMoreRecently() {
        assertThat(select(Map.of("until", List.of("24h")), false, 0)).containsExactly("m1");
        assertThat(select(Map.of("unused-for", List.of("36h")), false, 0)).containsExactly("m1");
    }

    @Test
    void aKeptChildKeepsItsParent() {
        // the parent is old enough, but the child that needs it stays
        assertThat(select(Map.of("until", List.of("2h")), false, 0)).containsExactly("m1");
        assertThat(select(Map.of("until", List.of("30m")), false, 0)).containsExactly("sha256:c", "sha256:p", "m1");
    }

    @Test
    void keepStorageKeepsTheNewestCacheUpToThatManyBytes() {
        // 1000 bytes in all: keeping 500 drops the oldest first, the 72 h mount (300) and the 48 h parent (200)
        assertThat(select(Map.of(), false, 500)).containsExactly("m1");
        assertThat(select(Map.of(), false, 700)).containsExactly("m1");
        assertThat(select(Map.of(), false, 1000)).isEmpty();
        assertThat(select(Map.of(), false, 450)).containsExactly("sha256:c", "sha256:p", "m1");
    }

    @Test
    void fieldFiltersMatchAsBuildKitsDo() {
        assertThat(select(Map.of("type", List.of("exec.cachemount")), false, 0)).containsExactly("m1", "m2");
        assertThat(select(Map.of("id", List.of("^m")), false, 0)).containsExactly("m1", "m2");
        assertThat(select(Map.of("parent", List.of("sha256:p")), false, 0)).containsExactly("sha256:c");
        assertThat(select(Map.of("description", List.of("build step image")), false, 0)).containsExactly("sha256:c", "sha256:p");
        assertThat(select(Map.of("inuse", List.of("true")), false, 0)).isEmpty();
        assertThat(select(Map.of("shared", List.of("false"), "private", List.of("true")), false, 0)).hasSize(4);
    }

    @Test
    void recordsInUseAreNeverRemoved() {
        BuildCacheRecord busy = new BuildCacheRecord("m3", null, "exec.cachemount", "cached mount /x", true, false, 1,
                NOW.toString(), NOW.toString(), 1);
        assertThat(BuildCachePrune.select(List.of(busy), Filters.NONE, true, 0)).isEmpty();
    }

    @Test
    void badFiltersGetDockersErrors() {
        assertThatThrownBy(() -> select(Map.of("dangling", List.of("true")), false, 0))
                .isInstanceOf(BerthException.InvalidArgument.class).hasMessage("invalid filter 'dangling'");
        assertThatThrownBy(() -> select(Map.of("type", List.of("a", "b")), false, 0)).hasMessage("filters expect only one value");
        assertThatThrownBy(() -> select(Map.of("until", List.of("yesterday")), false, 0))
                .hasMessage("\"until\" filter expects a duration (e.g., '24h'): time: invalid duration \"yesterday\"");
    }
}
