package io.berth.engine.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** {@link OciCommands} of each container's own runtime (runc, crun or an added one), as {@link ConmonRuntime} created it. */
final class RuncTool implements OciCommands {
    private final Function<String, Runc> runtimeOf;

    RuncTool(Function<String, Runc> runtimeOf) {
        this.runtimeOf = runtimeOf;
    }

    @Override
    public List<String> command(String id, List<String> args) {
        List<String> cmd = runtimeOf.apply(id).prefix();
        cmd.addAll(args);
        return cmd;
    }

    /** {@code runc update --resources <file> <id>}. */
    @Override
    public void update(String id, Path resourcesJson) {
        runtimeOf.apply(id).run("update", "--resources", resourcesJson.toString(), id);
    }

    @Override
    public String errorMessage(byte[] log) {
        return Runc.errorMessage(log);
    }
}
