package io.berth.engine.build.context;

import io.berth.engine.sys.Sys;

import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The {@link SourceHash} entry hashes of the regular files a {@link ContextExtractor} wrote, computed from the tar
 * stream as it went by, so that hashing a COPY source from the build context does not read its files again. Each hash
 * is kept with the mode, owner and size its file was given: {@link SourceHash} takes it only while the file on disk
 * still has them, and hashes from disk anything else (a hard link, a file the daemon could not give the tar's owner).
 * An entry that a later one in the tar replaces is forgotten with everything below it.
 */
final class ExtractedHashes {
    /** A file's hash with the mode, owner and size it was written with. */
    record Known(int mode, int uid, int gid, long size, String hex) {}

    private final ConcurrentNavigableMap<String, Known> files = new ConcurrentSkipListMap<>();

    /** Records the hash of the regular file {@code rel} (relative to the context root, cleaned) as written. */
    void put(String rel, int mode, int uid, int gid, long size, String hex) {
        files.put(rel, new Known(mode, uid, gid, size, hex));
    }

    /** What was recorded for {@code rel}, or null. */
    Known get(String rel) { return files.get(rel); }

    /** Forgets {@code rel} and everything below it (the extractor removed it to put another entry there). */
    void forget(String rel) {
        files.remove(rel);
        files.subMap(rel + "/", rel + "0").clear(); // '0' follows '/': exactly the names below rel
    }

    /** The recorded hash of {@code rel} when {@code st} (its lstat now) is still what was written, else null. */
    String match(String rel, Sys.LStat st) {
        Known k = files.get(rel);
        if (k == null || !st.isRegular()) return null;
        return k.mode == st.mode() && k.uid == st.uid() && k.gid == st.gid() && k.size == st.size() ? k.hex : null;
    }
}
