package io.berth.engine.daemon;

/** Berth's own version and build facts. */
public final class BerthVersion {
    public static final String VERSION = "0.1.0";
    public static final String GIT_COMMIT = "unknown";

    private BerthVersion() {}
}
