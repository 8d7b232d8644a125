package io.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileArrivalsTest {
    @TempDir Path tmp;

    private static boolean hasPid(Path f) {
        try {
            return Files.exists(f) && !Files.readString(f).isBlank();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void completesWhenTheFileArrivesWithItsContent() throws Exception {
        FileArrivals arrivals = new FileArrivals();
        Path dir = Files.createDirectories(tmp.resolve("a"));
        Path pid = dir.resolve("pid");
        CompletableFuture<Void> f = arrivals.await(dir, () -> hasPid(pid));
        assertThat(f).isNotDone();
        Files.writeString(dir.resolve("other"), "x"); // something else in the directory: still waiting
        Files.createFile(pid); // there, but empty: still waiting
        Thread.sleep(50);
        assertThat(f).isNotDone();
        Files.writeString(pid, "1234");
        f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFileThatIsThereAlreadyCompletesAtOnceAndDirectoriesAreWaitedOnApart() throws Exception {
        FileArrivals arrivals = new FileArrivals();
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(a.resolve("pid"), "1");
        assertThat(arrivals.await(a, () -> hasPid(a.resolve("pid")))).isDone();
        CompletableFuture<Void> fb = arrivals.await(b, () -> hasPid(b.resolve("pid")));
        Files.writeString(a.resolve("pid"), "2");
        Thread.sleep(50);
        assertThat(fb).isNotDone();
        fb.cancel(false); // the waiter gave up: its directory is no longer watched
        Files.writeString(b.resolve("pid"), "3");
        assertThat(fb).isCancelled();
    }
}
