package io.berth.engine.build.context;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static io.berth.engine.build.context.Tars.file;
import static io.berth.engine.build.context.Tars.tar;
import static org.assertj.core.api.Assertions.assertThat;

class SeenFilesTest {
    private static final int MIB = 1 << 20;
    @TempDir Path scratch;

    private static byte[] body(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static SeenFiles.Key key(String rel, long size) { return new SeenFiles.Key(rel, 0100644, 0, 0, size); }

    private static void remember(SeenFiles seen, SeenFiles.Key key, String hex, byte[] content) throws IOException {
        seen.remember(key, hex, out -> out.write(ByteBuffer.wrap(content)));
    }

    /** Reads {@code in} in pieces of at most {@code piece} bytes, as a socket would give them. */
    private static InputStream trickle(byte[] content, int piece) {
        return new FilterInputStream(new ByteArrayInputStream(content)) {
            @Override public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, piece));
            }
        };
    }

    @Test
    void equalContentIsTheStoredCopyReadOnce() throws IOException {
        byte[] content = body(3 * MIB + 17, 1);
        SeenFiles.Key key = key("data/f", content.length);
        SeenFiles seen = new SeenFiles(scratch.resolve("seen"), 64L * MIB);
        remember(seen, key, "stored-hash", content);
        InputStream in = trickle(content, 100_000);
        var outcome = new StoredCompare(new byte[MIB]).compare(in, content.length, seen.lookup(key));
        assertThat(outcome).isInstanceOf(StoredCompare.Same.class);
        assertThat(in.read()).as("the body was read to its end, not beyond").isEqualTo(-1);
        try (FileChannel stored = ((StoredCompare.Same) outcome).stored()) {
            assertThat(stored.size()).isEqualTo(content.length);
        }
    }

    @Test
    void aDifferenceAnywhereHandsBackTheWholeBody() throws IOException {
        byte[] stored = body(3 * MIB, 2);
        SeenFiles.Key key = key("data/f", stored.length);
        SeenFiles seen = new SeenFiles(scratch.resolve("seen"), 64L * MIB);
        remember(seen, key, "stored-hash", stored);
        for (int at : new int[] {0, MIB - 1, MIB, 2 * MIB + 12345, stored.length - 1}) {
            byte[] received = stored.clone();
            received[at] ^= 1;
            byte[] tail = {1, 2, 3}; // the next entry: must stay unread
            InputStream in = new SequenceInputStream(trickle(received, 300_000), new ByteArrayInputStream(tail));
            var outcome = new StoredCompare(new byte[MIB]).compare(in, received.length, seen.lookup(key));
            assertThat(outcome).as("a byte changed at %d", at).isInstanceOf(StoredCompare.Different.class);
            InputStream again = ((StoredCompare.Different) outcome).body();
            assertThat(again.readNBytes(received.length)).as("a byte changed at %d", at).isEqualTo(received);
            assertThat(in.readAllBytes()).isEqualTo(tail);
        }
    }

    @Test
    void aStoredFileThatWentAwayLeavesTheBodyUnread() throws IOException {
        byte[] content = body(MIB, 3);
        SeenFiles.Key key = key("f", content.length);
        SeenFiles seen = new SeenFiles(scratch.resolve("seen"), 64L * MIB);
        remember(seen, key, "stored-hash", content);
        SeenFiles.Candidate candidate = seen.lookup(key);
        Files.delete(candidate.content());
        InputStream in = new ByteArrayInputStream(content);
        var outcome = new StoredCompare(new byte[MIB]).compare(in, content.length, candidate);
        assertThat(outcome).isEqualTo(new StoredCompare.Different(in));
    }

    @Test
    void theLeastRecentlyUsedGoBeyondTheCapacity() throws IOException {
        SeenFiles seen = new SeenFiles(scratch.resolve("seen"), 2L * MIB);
        SeenFiles.Key a = key("a", MIB), b = key("b", MIB), c = key("c", MIB);
        remember(seen, a, "ha", body(MIB, 4));
        remember(seen, b, "hb", body(MIB, 5));
        assertThat(seen.lookup(a)).isNotNull(); // a is now used more recently than b
        remember(seen, c, "hc", body(MIB, 6));
        assertThat(seen.lookup(b)).isNull();
        assertThat(scratch.resolve("seen/hb")).doesNotExist();
        assertThat(seen.lookup(a).content()).exists();
        assertThat(seen.lookup(c).content()).exists();
        assertThat(seen.stored()).isEqualTo(2L * MIB);
        remember(seen, c, "hc", body(MIB, 6));
        assertThat(seen.stored()).as("the same file again is stored once").isEqualTo(2L * MIB);
        remember(seen, c, "hc2", body(MIB, 7));
        assertThat(scratch.resolve("seen/hc")).as("a key's older content goes").doesNotExist();
        assertThat(seen.stored()).isEqualTo(2L * MIB);
        assertThat(seen.list()).extracting(SeenFiles.Stored::hex).containsExactly("ha", "hc2");
        assertThat(seen.remove("ha")).isTrue();
        assertThat(seen.remove("ha")).isFalse();
        assertThat(seen.lookup(a)).isNull();
        assertThat(scratch.resolve("seen/ha")).doesNotExist();
        assertThat(seen.stored()).isEqualTo(MIB);
    }

    @Test
    void aContextComparesWhatTheLastOneReceivedAndHashesWhatChanged() throws IOException {
        byte[] big = body(2 * MIB, 8);
        byte[] changed = big.clone();
        changed[MIB + 5] ^= 1;
        SeenFiles seen = new SeenFiles(scratch.resolve("seen"), 64L * MIB);
        BodyPool pool = new BodyPool(16L * MIB, 0);
        byte[] first = tar(w -> file(w, "data/big", big, 0644));
        String hash;
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(first), scratch, pool, seen, null)) {
            hash = c.sourceHash(SourceHashTest.SYS).file("data/big");
        }
        assertThat(seen.stored()).as("closing the context stored its large body").isEqualTo(big.length);
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(first), scratch, pool, seen, null)) {
            assertThat(c.sourceHash(SourceHashTest.SYS).file("data/big")).isEqualTo(hash);
            assertThat(seen.list()).hasSize(1);
            seen.remove(seen.list().getFirst().hex()); // pruned meanwhile: the open copy still serves this build
            c.materialize();
            assertThat(Files.readAllBytes(c.root().resolve("data/big"))).isEqualTo(big);
        }
        byte[] second = tar(w -> file(w, "data/big", changed, 0644));
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(second), scratch, pool, seen, null)) {
            String h = c.sourceHash(SourceHashTest.SYS).file("data/big");
            c.materialize();
            assertThat(h).isNotEqualTo(hash).isEqualTo(new SourceHash(SourceHashTest.SYS, c.root()).file("data/big"));
        }
        byte[] third = tar(w -> file(w, "data/big", big, 0600));
        try (BuildContext c = BuildContext.fromArchive(new ByteArrayInputStream(third), scratch, pool, seen, null)) {
            String h = c.sourceHash(SourceHashTest.SYS).file("data/big");
            c.materialize();
            assertThat(h).as("another mode: another header, hashed").isNotEqualTo(hash)
                    .isEqualTo(new SourceHash(SourceHashTest.SYS, c.root()).file("data/big"));
        }
    }
}
