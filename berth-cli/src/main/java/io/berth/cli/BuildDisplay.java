package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.api.JsonMessage;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws the stream of {@code POST /build} for {@code berth build}. Off a terminal it prints the classic builder's
 * text as the docker CLI does ({@code Step N/M : …}, the RUN output, {@code Successfully built …}) and pull status
 * lines. On a terminal it prints the same text and adds, after each step, its elapsed time or that it came from the
 * cache, a live status line at the bottom (current step, its running time, cache hits so far) and a closing summary.
 * It keeps the last {@code aux} image ID (for {@code --iidfile}) and the error that ended the build with its
 * {@code errorDetail.code} (the exit code of a failed RUN; 1 when absent).
 */
final class BuildDisplay implements Consumer<JsonNode>, AutoCloseable {
    private static final Pattern STEP = Pattern.compile("^Step (\\d+)/(\\d+) : (.*)", Pattern.DOTALL);

    private final PrintStream out;
    private final boolean terminal;
    private final Clock clock;
    private final long started;
    private final int width;
    private Thread ticker;
    private String imageId;
    private String error;
    private int errorCode;
    private String step;
    private long stepStarted;
    private boolean stepCached;
    private int steps;
    private int cached;
    private boolean atLineStart = true;
    private boolean statusShown;
    private boolean closed;

    BuildDisplay(PrintStream out, boolean terminal, Clock clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.started = clock.millis();
        int[] size = terminal ? Terminal.size() : null;
        this.width = size == null || size[1] <= 0 ? 200 : size[1]; // 0 columns: a pseudo-terminal nobody sized
        if (terminal) {
            ticker = Thread.ofVirtual().name("berth-build-status").start(() -> {
                try {
                    while (true) {
                        Thread.sleep(200);
                        redraw();
                    }
                } catch (InterruptedException done) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** The last image ID an {@code aux} message gave, or null. */
    synchronized String imageId() { return imageId; }

    /** The error that ended the build, or null. */
    synchronized String error() { return error; }

    /** The exit code the error asks for: its {@code errorDetail.code}, 1 when it has none. */
    synchronized int errorCode() { return errorCode == 0 ? 1 : errorCode; }

    @Override public synchronized void accept(JsonNode n) {
        if (error != null) return;
        if (n.hasNonNull("errorDetail") || n.hasNonNull("error")) {
            JsonNode d = n.path("errorDetail");
            error = d.hasNonNull("message") ? d.get("message").asText() : n.path("error").asText();
            errorCode = d.path("code").asInt(0);
            return;
        }
        if (n.hasNonNull("aux")) {
            JsonNode id = n.get("aux").get("ID");
            if (id != null && id.isTextual()) imageId = id.asText();
            return;
        }
        if (n.hasNonNull("stream")) {
            text(n.get("stream").asText());
            return;
        }
        JsonMessage m = Json.wire().convertValue(n, JsonMessage.class);
        if (m.status() == null || m.progressDetail() != null && !m.progressDetail().equals(new JsonMessage.ProgressDetail(0, 0))) return;
        text((m.id() == null || m.id().isEmpty() ? "" : m.id() + ": ") + m.status() + "\n");
    }

    private void text(String s) {
        Matcher m = STEP.matcher(s);
        if (m.matches()) {
            finishStep();
            step = m.group(1) + "/" + m.group(2) + " " + m.group(3).strip();
            stepStarted = clock.millis();
            stepCached = false;
            steps++;
        } else if (s.equals(" ---> Using cache\n")) {
            stepCached = true;
            cached++;
        } else if (s.startsWith("Successfully built ")) {
            finishStep();
            step = null;
        }
        clearStatus();
        out.print(s);
        if (!s.isEmpty()) atLineStart = s.endsWith("\n");
        out.flush();
    }

    /** After a step, on a terminal: its time, or that it came from the cache. */
    private void finishStep() {
        if (!terminal || step == null) return;
        clearStatus();
        if (!atLineStart) out.print("\n");
        out.print("\u001b[2m ---> " + (stepCached ? "cached" : seconds(clock.millis() - stepStarted)) + "\u001b[0m\n");
        atLineStart = true;
    }

    private synchronized void redraw() {
        if (!terminal || !atLineStart || error != null) return;
        String line = step == null ? "Sending build context…"
                : "Step " + step.lines().findFirst().orElse("") + "  " + seconds(clock.millis() - stepStarted);
        line += "  (" + cached + " cached, " + seconds(clock.millis() - started) + " total)";
        if (line.length() >= width) line = line.substring(0, Math.max(0, width - 1));
        out.print("\r\u001b[2K\u001b[36m" + line + "\u001b[0m\r");
        out.flush();
        statusShown = true;
    }

    private void clearStatus() {
        if (!statusShown) return;
        out.print("\r\u001b[2K");
        statusShown = false;
    }

    private static String seconds(long millis) { return String.format(Locale.ROOT, "%.1fs", millis / 1000.0); }

    /** Stops the status line; on a terminal, closes the last step and prints the summary. */
    @Override public void close() {
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (!terminal || closed) return;
            closed = true;
            clearStatus();
            if (error == null) finishStep();
            out.print("\u001b[1m" + (error == null ? "Built" : "Failed") + " in " + seconds(clock.millis() - started) + ": "
                    + steps + (steps == 1 ? " step, " : " steps, ") + cached + " from cache\u001b[0m\n");
            out.flush();
        }
    }
}
