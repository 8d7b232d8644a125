package io.berth.engine.runtime;

import java.nio.file.Path;

/** A container created under a conmon monitor: its init process ({@code pid}) and its monitor ({@code conmonPid}). */
public record ContainerProcess(String id, Path bundle, int pid, int conmonPid) {}
