package io.berth.engine.runtime;

import io.berth.api.errors.BerthException;

/**
 * Turns OCI runtime failures into {@link BerthException}s and tells callers which exit code Docker
 * reports for a container that could not start (127 for a missing executable, 126 for one that
 * cannot be executed, 128 otherwise).
 */
public final class RuntimeErrors {
    private RuntimeErrors() {}

    static BerthException fromRuntime(String op, String message) {
        String m = message == null || message.isBlank() ? "OCI runtime " + op + " failed" : message.strip();
        if (m.contains("does not exist") || m.contains("container not found")) {
            return new BerthException.NotFound(m);
        }
        if (exitCodeFor(m) != 128) {
            return new BerthException.InvalidArgument(m);
        }
        if (m.contains("cannot ") && (m.contains("paused") || m.contains("running") || m.contains("stopped") || m.contains("created"))) {
            return new BerthException.Conflict(m);
        }
        return new BerthException.SystemError(m, null);
    }

    /** The exit code Docker reports when a container's process could not be started for this runtime error. */
    public static int exitCodeFor(String runtimeMessage) {
        if (runtimeMessage == null) return 128;
        String m = runtimeMessage.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("executable file not found") || m.contains("no such file or directory")) return 127;
        if (m.contains("permission denied") || m.contains("exec format error") || m.contains("is a directory")) return 126;
        return 128;
    }

    /** {@link #exitCodeFor(String)} of an exception's message. */
    public static int exitCodeFor(Throwable t) {
        return exitCodeFor(t.getMessage());
    }
}
