package io.berth.engine.runtime.spec;

import java.util.List;

/** The process user after resolution against the rootfs: numeric ids, supplementary groups, home. */
public record ResolvedUser(int uid, int gid, List<Integer> additionalGids, String home) {
    public ResolvedUser {
        additionalGids = List.copyOf(additionalGids);
    }

    /** root, the default when neither the image nor the request names a user. */
    public static final ResolvedUser ROOT = new ResolvedUser(0, 0, List.of(), "/root");
}
