package io.berth.engine.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * The OCI runtime's command line, for callers that run it themselves ({@code runc exec} with stdio
 * pipes or a pty) or need a one-shot command ({@code runc update}). {@link ConmonRuntime#commands()} is the real one.
 */
public interface OciCommands {
    /**
     * The argv of a command of container {@code id}'s runtime: binary (behind its launcher), global
     * arguments ({@code --root}, JSON logs), then {@code args}.
     */
    List<String> command(String id, List<String> args);

    /**
     * Whether container {@code id}'s runtime, running a tty process in the foreground, sends the process's pty master
     * to a {@code --console-socket} and leaves the terminal to the caller (crun), rather than ignoring the socket and
     * relaying the terminal through its own stdio (runc, which takes a console socket only with {@code --detach}).
     */
    boolean takesConsoleSocketInForeground(String id);

    /** Applies an OCI {@code linux.resources} document to a running container. */
    void update(String id, Path resourcesJson);

    /** The error lines of a runtime JSON log (or the raw text if it is not JSON). */
    String errorMessage(byte[] log);
}
