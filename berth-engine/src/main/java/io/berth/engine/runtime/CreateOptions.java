package io.berth.engine.runtime;

import java.nio.file.Path;

/**
 * How conmon holds a new container's stdio.
 *
 * @param tty        allocate a pseudo-terminal (the bundle's {@code process.terminal} must be true too)
 * @param openStdin  keep a stdin pipe that attach clients write to
 * @param stdinOnce  close the container's stdin when the first attach client closes its stdin
 * @param logDriver  {@link LogDriver#K8S_FILE} writes {@code logPath}; {@link LogDriver#NONE} keeps no log
 * @param logPath    the k8s-file log (ignored for {@link LogDriver#NONE})
 * @param logMaxSize bytes after which conmon starts the log afresh; 0 or less: unlimited
 * @param runtime    the name of the OCI runtime to create it with ({@link Runtimes}); null for the default
 */
public record CreateOptions(boolean tty, boolean openStdin, boolean stdinOnce, LogDriver logDriver, Path logPath, long logMaxSize,
                            String runtime) {
    public enum LogDriver { K8S_FILE, NONE }

    public CreateOptions {
        if (logDriver == null) throw new IllegalArgumentException("logDriver is required");
        if (logDriver == LogDriver.K8S_FILE && logPath == null) throw new IllegalArgumentException("k8s-file needs a logPath");
    }

    /** No tty, no stdin, k8s-file log at {@code logPath} without a size limit. */
    public static CreateOptions logTo(Path logPath) {
        return new CreateOptions(false, false, false, LogDriver.K8S_FILE, logPath, 0, null);
    }

    public CreateOptions withTty(boolean tty) {
        return new CreateOptions(tty, openStdin, stdinOnce, logDriver, logPath, logMaxSize, runtime);
    }

    public CreateOptions withStdin(boolean openStdin, boolean stdinOnce) {
        return new CreateOptions(tty, openStdin, stdinOnce, logDriver, logPath, logMaxSize, runtime);
    }

    public CreateOptions withRuntime(String name) {
        return new CreateOptions(tty, openStdin, stdinOnce, logDriver, logPath, logMaxSize, name);
    }

    public CreateOptions withLogMaxSize(long bytes) {
        return new CreateOptions(tty, openStdin, stdinOnce, logDriver, logPath, bytes, runtime);
    }
}
