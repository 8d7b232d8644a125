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

    /** Applies an OCI {@code linux.resources} document to a running container. */
    void update(String id, Path resourcesJson);

    /** The error lines of a runtime JSON log (or the raw text if it is not JSON). */
    String errorMessage(byte[] log);
}
