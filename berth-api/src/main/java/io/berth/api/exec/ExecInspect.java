package io.berth.api.exec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** GET /exec/{id}/json, as dockerd renders it ({@code ExitCode} is null until the process has ended). */
@JsonPropertyOrder({"ID", "Running", "ExitCode", "ProcessConfig", "OpenStdin", "OpenStderr", "OpenStdout", "CanRemove",
        "ContainerID", "DetachKeys", "Pid"})
public record ExecInspect(@JsonProperty("ID") String id, boolean running, Integer exitCode, ProcessConfig processConfig,
                          boolean openStdin, boolean openStderr, boolean openStdout, boolean canRemove,
                          @JsonProperty("ContainerID") String containerId, String detachKeys, int pid) {

    /** The process part; its keys are lower-case on the wire. */
    public record ProcessConfig(@JsonProperty("tty") boolean tty, @JsonProperty("entrypoint") String entrypoint,
                                @JsonProperty("arguments") List<String> arguments,
                                @JsonProperty("privileged") boolean privileged, @JsonProperty("user") String user) {}
}
