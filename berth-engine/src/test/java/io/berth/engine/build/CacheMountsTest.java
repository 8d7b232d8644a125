package io.berth.engine.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheMountsTest {
    @TempDir Path root;

    @Test void aCacheIdIsOneDirectoryKeptBetweenHoldsWithItsMode() throws Exception {
        Files.createDirectories(Builder.scratch(root));
        CacheMounts.Held a = CacheMounts.hold(root, "pip", Map.of("mode", "0700"));
        Files.writeString(a.dir().resolve("f"), "x");
        a.release().run();
        CacheMounts.Held b = CacheMounts.hold(root, "pip", Map.of());
        assertThat(b.dir()).isEqualTo(a.dir());
        assertThat(b.dir().resolve("f")).hasContent("x");
        assertThat(Files.getPosixFilePermissions(b.dir())).hasSize(3);
        assertThat(CacheMounts.list(root)).singleElement().satisfies(r -> assertThat(r.description()).isEqualTo("cached mount pip"));
    }

    @Test void privateGivesASecondHolderItsOwnDirectoryAndLockedMakesItWait() throws Exception {
        Files.createDirectories(Builder.scratch(root));
        CacheMounts.Held first = CacheMounts.hold(root, "p", Map.of("sharing", "private"));
        CacheMounts.Held second = CacheMounts.hold(root, "p", Map.of("sharing", "private"));
        assertThat(second.dir()).isNotEqualTo(first.dir());
        second.release().run();
        assertThat(second.dir()).doesNotExist();
        first.release().run();

        CacheMounts.Held held = CacheMounts.hold(root, "l", Map.of("sharing", "locked"));
        CompletableFuture<CacheMounts.Held> waiting = CompletableFuture.supplyAsync(
                () -> CacheMounts.hold(root, "l", Map.of("sharing", "locked")));
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        held.release().run();
        assertThat(waiting.get(5, TimeUnit.SECONDS).dir()).isEqualTo(held.dir());
    }
}
