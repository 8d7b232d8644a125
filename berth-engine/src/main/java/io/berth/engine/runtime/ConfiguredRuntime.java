package io.berth.engine.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * One OCI runtime berthd can run containers with, as dockerd's {@code runtimes} names it: its name
 * ({@code HostConfig.Runtime}), its binary and the arguments put before every command
 * ({@code runtimeArgs}).
 *
 * @param name   what {@code docker run --runtime} and inspect call it
 * @param path   the binary as configured ({@code runc} for the stock one, an absolute path otherwise)
 * @param binary the binary found on this host
 * @param args   global arguments given to the binary before berthd's own ({@code runtimeArgs})
 */
public record ConfiguredRuntime(String name, String path, Path binary, List<String> args) {
    public ConfiguredRuntime {
        args = List.copyOf(args);
    }

    /**
     * True for crun, whose quirks berthd works around: (1.8) it refuses a hybrid cgroup layout it sees
     * through the cgroup2 mount at {@code /sys/fs/cgroup/unified}, so berthd runs it in a mount namespace
     * without that mount ({@link RuntimeLauncher}), where it runs on the v1 controllers; and it writes a
     * pids limit of -1 (none) as it is, which cgroup v1 refuses (see {@link RuncTool#update}). Running a tty exec
     * in the foreground it sends the terminal to a console socket (runc ignores one there), which berthd uses.
     */
    public boolean isCrun() {
        return binary.getFileName().toString().startsWith("crun");
    }
}
