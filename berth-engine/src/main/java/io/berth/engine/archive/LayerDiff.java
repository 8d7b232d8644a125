package io.berth.engine.archive;

import io.berth.engine.sys.Sys;
import java.io.IOException;
import java.nio.file.Path;

/** Turns an overlayfs upper directory (a container's writable layer) into a Docker layer diff tar. */
public final class LayerDiff {
    private LayerDiff() {}

    /** Writes the diff and finishes the tar; returns how many entries it holds (0: nothing changed). */
    public static long write(Path upper, TarWriter out, Sys sys) throws IOException {
        TreeTar t = new TreeTar(sys, out, TreeTar.Whiteouts.OVERLAY);
        t.write(upper, "");
        out.finish();
        return t.entries();
    }
}
