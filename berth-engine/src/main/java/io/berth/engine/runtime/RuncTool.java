package io.berth.engine.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** {@link OciCommands} of each container's own runtime (runc, crun or an added one), as {@link ConmonRuntime} created it. */
final class RuncTool implements OciCommands {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The kernel's PID_MAX_LIMIT on 64-bit hosts: cgroup v1's highest numeric {@code pids.max}. */
    static final long PID_MAX_LIMIT = 4_194_304;

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

    @Override
    public boolean takesConsoleSocketInForeground(String id) {
        return runtimeOf.apply(id).runtime().isCrun();
    }

    /**
     * {@code runc update --resources <file> <id>}. No pids limit is -1 for runc; crun writes -1 as it is (cgroup v1
     * refuses it) and ignores 0, so it gets the kernel's highest pid count, {@value #PID_MAX_LIMIT}, which no limit
     * exceeds.
     */
    @Override
    public void update(String id, Path resourcesJson) {
        Runc runc = runtimeOf.apply(id);
        if (runc.runtime().isCrun()) unlimitedPidsAsPidMax(resourcesJson);
        runc.run("update", "--resources", resourcesJson.toString(), id);
    }

    private static void unlimitedPidsAsPidMax(Path resourcesJson) {
        try {
            var doc = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(resourcesJson.toFile());
            if (doc.path("pids").path("limit").asLong(0) < 0) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("pids")).put("limit", PID_MAX_LIMIT);
                JSON.writeValue(resourcesJson.toFile(), doc);
            }
        } catch (java.io.IOException e) {
            throw new io.berth.api.errors.BerthException.SystemError("cannot read " + resourcesJson + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String errorMessage(byte[] log) {
        return Runc.errorMessage(log);
    }
}
