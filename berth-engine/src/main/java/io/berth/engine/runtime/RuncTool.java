package io.berth.engine.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link OciCommands} of runc (or crun): the binary and root of a {@link ConmonRuntime.Config}. */
public final class RuncTool implements OciCommands {
    private final Runc runc;

    public RuncTool(ConmonRuntime.Config config) {
        this.runc = new Runc(config.runtime(), config.runtimeRoot());
    }

    @Override
    public List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(runc.binary().toString());
        cmd.addAll(runc.globalArgs());
        cmd.addAll(args);
        return cmd;
    }

    /** {@code runc update --resources <file> <id>}. */
    @Override
    public void update(String id, Path resourcesJson) {
        runc.run("update", "--resources", resourcesJson.toString(), id);
    }

    @Override
    public String errorMessage(byte[] log) {
        return Runc.errorMessage(log);
    }
}
