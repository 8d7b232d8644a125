package io.berth.engine.service;

import io.berth.api.Filters;
import io.berth.api.container.ContainerCreateRequest;
import io.berth.api.container.ContainerCreateResponse;
import io.berth.api.container.ContainerInspect;
import io.berth.api.container.ContainerSummary;
import io.berth.api.container.WaitResponse;
import io.berth.engine.service.LogOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The container backend the API's container router calls. {@code ref} is a container ID, a unique
 * ID prefix or a name. Errors are {@link io.berth.api.errors.BerthException}s with Docker's messages.
 */
public interface ContainerService {
    ContainerCreateResponse create(String name, ContainerCreateRequest request);

    /** Returns false when the container was already running (the API answers 304). */
    boolean start(String ref);

    /** Returns false when the container was not running (304). {@code timeout} seconds, null for its default. */
    boolean stop(String ref, Integer timeout, String signal);

    void restart(String ref, Integer timeout, String signal);

    void kill(String ref, String signal);

    void pause(String ref);

    void unpause(String ref);

    /** Completes when the condition ({@code not-running}, {@code next-exit}, {@code removed}) holds. */
    CompletableFuture<WaitResponse> await(String ref, String condition);

    void remove(String ref, boolean force, boolean removeVolumes);

    /** {@code DELETE /containers/{parent}/{alias}?link=1}: removes the legacy link {@code alias} of {@code parent}. */
    void removeLink(String name);

    ContainerInspect inspect(String ref, boolean size);

    List<ContainerSummary> list(boolean all, int limit, boolean size, Filters filters);

    void rename(String ref, String newName);

    /**
     * Attaches to the container's stdio. Before the container starts, the returned streams connect
     * at start, before the process runs, so no output is missed.
     */
    ProcessStdio attach(String ref, boolean stdin);

    /** Writes the container's log records to {@code sink}; with {@code follow} until the container stops or {@code stop} completes. */
    void logs(String ref, LogOptions options, Consumer<io.berth.engine.service.LogEntry> sink, CompletableFuture<?> stop);

    boolean tty(String ref);

    /**
     * The attributes stored with each of the container's log lines (json-file's labels and env options), sorted by name;
     * refuses, as {@link #logs} does, a container whose log driver keeps nothing to read.
     */
    Map<String, String> logAttributes(String ref);

    void resize(String ref, int height, int width);
}
