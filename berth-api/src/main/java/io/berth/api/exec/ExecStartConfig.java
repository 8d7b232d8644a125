package io.berth.api.exec;

import java.util.List;

/** POST /exec/{id}/start. */
public record ExecStartConfig(Boolean detach, Boolean tty, List<Integer> consoleSize) {
    public boolean detached() { return Boolean.TRUE.equals(detach); }
}
