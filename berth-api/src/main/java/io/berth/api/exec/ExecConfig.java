package io.berth.api.exec;

import java.util.List;

/** POST /containers/{id}/exec: the process to run in a running container. */
public record ExecConfig(Boolean attachStdin, Boolean attachStdout, Boolean attachStderr, List<Integer> consoleSize,
                         String detachKeys, Boolean tty, List<String> env, List<String> cmd, Boolean privileged,
                         String user, String workingDir) {
    public boolean stdin() { return Boolean.TRUE.equals(attachStdin); }

    public boolean stdout() { return Boolean.TRUE.equals(attachStdout); }

    public boolean stderr() { return Boolean.TRUE.equals(attachStderr); }

    public boolean wantsTty() { return Boolean.TRUE.equals(tty); }

    public boolean wantsPrivileged() { return Boolean.TRUE.equals(privileged); }
}
