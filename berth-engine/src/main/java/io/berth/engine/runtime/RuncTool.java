package io.berth.engine.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The OCI runtime's command line for callers outside this package that run it themselves (exec
 * with stdio pipes or a console socket) or need a one-shot command ({@code runc update}).
 */
public final class RuncTool {
    private final Runc runc;

    public RuncTool(ConmonRuntime.Config config) {
        this.runc = new Runc(config.runtime(), config.runtimeRoot());
    }

    /** The argv of a runtime command: binary, global arguments ({@code --root}, JSON logs), then {@code args}. */
    public List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(runc.binary().toString());
        cmd.addAll(runc.globalArgs());
        cmd.addAll(args);
        return cmd;
    }

    /** {@code runc update --resources <file> <id>}: applies an OCI {@code linux.resources} document live. */
    public void update(String id, Path resourcesJson) {
        runc.run("update", "--resources", resourcesJson.toString(), id);
    }

    /** The error lines of a runtime JSON log (or the raw text if it is not JSON). */
    public static String errorMessage(byte[] log) {
        return Runc.errorMessage(log);
    }
}
