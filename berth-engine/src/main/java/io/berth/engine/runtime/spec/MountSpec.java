package io.berth.engine.runtime.spec;

import java.util.List;

/** One OCI mount, as berthd resolved it (binds of /etc/hosts, volumes, tmpfs…). */
public record MountSpec(String destination, String type, String source, List<String> options) {
    public MountSpec {
        options = List.copyOf(options);
    }

    /** A recursive private bind, read-write or read-only, as Docker makes for -v and /etc/hosts. */
    public static MountSpec bind(String source, String destination, boolean readOnly) {
        return new MountSpec(destination, "bind", source,
                readOnly ? List.of("rbind", "rprivate", "ro") : List.of("rbind", "rprivate"));
    }
}
