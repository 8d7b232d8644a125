package io.berth.engine.build;

import io.berth.api.JsonMessage;
import io.berth.engine.service.ProgressSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A build's text output as the classic builder writes it: one write is one {@code {"stream":…}} message, stderr
 * wrapped in red. A stage built in parallel with an earlier one writes into its own instance, kept until the stages
 * before it are done and then {@linkplain #goLive sent on} (what it kept first, then as it comes), so the stream reads
 * as if the stages ran one after the other.
 */
final class StepOutput {
    private final List<JsonMessage> kept = new ArrayList<>();
    private ProgressSink live;

    private StepOutput(ProgressSink live) { this.live = live; }

    /** Writes straight to {@code sink}. */
    static StepOutput direct(ProgressSink sink) { return new StepOutput(sink); }

    /** Keeps every message until {@link #goLive}. */
    static StepOutput kept() { return new StepOutput(null); }

    synchronized void send(JsonMessage m) {
        if (live != null) live.send(m);
        else kept.add(m);
    }

    void write(String text) { send(JsonMessage.stream(text)); }

    void stdout(byte[] chunk) { write(new String(chunk, StandardCharsets.UTF_8)); }

    void stderr(byte[] chunk) { write("\u001b[91m" + new String(chunk, StandardCharsets.UTF_8) + "\u001b[0m"); }

    /** Sends what was kept to {@code sink}, in order, and everything after it as it comes. */
    synchronized void goLive(ProgressSink sink) {
        for (JsonMessage m : kept) sink.send(m);
        kept.clear();
        live = sink;
    }

    /** This output as a sink (a base image's pull progress). */
    ProgressSink asSink() { return this::send; }
}
