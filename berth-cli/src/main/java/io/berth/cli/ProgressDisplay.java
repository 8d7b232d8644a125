package io.berth.cli;

import io.berth.api.JsonMessage;
import io.berth.api.JsonProgress;
import io.berth.client.HttpResponse;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Draws a JSON message stream (pull, push, load, import) as the docker CLI's {@code jsonmessage.DisplayJSONMessagesStream}:
 * on a terminal one line per {@code id}, rewritten in place (cursor up, clear line, cursor down) with a progress bar
 * drawn here from {@code progressDetail}; elsewhere {@code "<id>: <status>"} lines, progress updates dropped.
 * {@code aux} messages go to a callback; the first error ends the display and is returned by {@link #error()}.
 */
final class ProgressDisplay implements Consumer<JsonMessage> {
    private final PrintStream out;
    private final boolean terminal;
    private final int width;
    private final Consumer<Object> aux;
    private final Map<String, Integer> lines = new HashMap<>();
    private String error;

    ProgressDisplay(PrintStream out, boolean terminal, int width, Consumer<Object> aux) {
        this.out = out;
        this.terminal = terminal;
        this.width = width;
        this.aux = aux;
    }

    /**
     * Reads the whole stream of {@code r}, drawing it on {@code out} (nothing when null) with the terminal's width
     * (200 when unknown, as docker); throws the stream's error.
     */
    static void show(Cli cli, HttpResponse r, PrintStream out, boolean terminal, Consumer<Object> aux) {
        int width = 200;
        if (terminal) {
            int[] size = Terminal.size();
            if (size != null) width = size[1];
        }
        ProgressDisplay d = new ProgressDisplay(out == null ? new PrintStream(OutputStream.nullOutputStream()) : out, terminal, width, aux);
        cli.client().jsonLines(r, JsonMessage.class, d);
        if (d.error() != null) throw new Main.CliException(d.error());
    }

    /** The stream's error message, or null. */
    String error() { return error; }

    @Override public void accept(JsonMessage m) {
        if (error != null) return;
        if (m.error() != null || m.errorDetail() != null) {
            error = ImageCommands.streamError(m);
            return;
        }
        if (m.aux() != null) {
            if (aux != null) aux.accept(m.aux());
            return;
        }
        boolean progress = m.progressDetail() != null;
        boolean hasId = m.id() != null && !m.id().isEmpty();
        int diff = 0;
        if (hasId && (progress || (m.progress() != null && !m.progress().isEmpty()))) {
            Integer line = lines.get(m.id());
            if (line == null) {
                line = lines.size();
                lines.put(m.id(), line);
                if (terminal) out.print("\n");
            }
            diff = lines.size() - line;
            if (terminal) out.print("\u001b[" + diff + "A");
        } else {
            lines.clear();
        }
        display(m);
        if (hasId && terminal && diff > 0) out.print("\u001b[" + diff + "B");
        out.flush();
    }

    private void display(JsonMessage m) {
        String bar = m.progressDetail() == null ? "" : bar(m.progressDetail().current(), m.progressDetail().total());
        String endl = "";
        boolean hasStream = m.stream() != null && !m.stream().isEmpty();
        if (terminal && !hasStream && m.progressDetail() != null) {
            out.print("\u001b[2K\r");
            endl = "\r";
        } else if (!bar.isEmpty() || (!terminal && m.progress() != null && !m.progress().isEmpty())) {
            return; // no progress bars off a terminal
        }
        StringBuilder sb = new StringBuilder();
        if (m.id() != null && !m.id().isEmpty()) sb.append(m.id()).append(": ");
        String status = m.status() == null ? "" : m.status();
        if (terminal && m.progressDetail() != null) sb.append(status).append(' ').append(bar).append(endl);
        else if (m.progress() != null && !m.progress().isEmpty()) sb.append(status).append(' ').append(m.progress()).append(endl);
        else if (hasStream) sb.append(m.stream()).append(endl);
        else sb.append(status).append(endl).append('\n');
        out.print(sb);
    }

    /** jsonmessage's {@code JSONProgress.String}: {@link JsonProgress}'s text, without the bar when 110 columns or narrower. */
    String bar(long current, long total) {
        String s = JsonProgress.render(current, total);
        return width > 110 || !s.startsWith("[") ? s : s.substring(s.indexOf("] ") + 2);
    }
}
