package io.berth.engine.build.context;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The {@link SourceHash} entry hash of one regular file of a context: fed its content piece by piece, or known already
 * (the content equals a stored copy with the same header, {@link StoredCompare}). Used by one thread at a time.
 */
final class EntryDigest {
    private final SeenFiles.Key key;
    private final MessageDigest md;
    private final String known;

    private EntryDigest(SeenFiles.Key key, MessageDigest md, String known) {
        this.key = key;
        this.md = md;
        this.known = known;
    }

    /** Hashes the content. */
    static EntryDigest hashing(SeenFiles.Key key) {
        return new EntryDigest(key, SourceHash.regularFile(key.rel(), key.mode(), key.uid(), key.gid(), key.size()), null);
    }

    /** The hash is {@code hex}, a stored copy's whose header and content the file has. */
    static EntryDigest known(SeenFiles.Key key, String hex) { return new EntryDigest(key, null, hex); }

    /** The header fields hashed with the content. */
    SeenFiles.Key key() { return key; }

    /** Takes the next {@code len} bytes of the content. */
    void update(byte[] b, int off, int len) {
        if (known != null) throw new IllegalStateException("the hash of " + key.rel() + " is known");
        md.update(b, off, len);
    }

    /** The entry hash in hex, once all the content was given. */
    String hex() { return known != null ? known : HexFormat.of().formatHex(md.digest()); }
}
