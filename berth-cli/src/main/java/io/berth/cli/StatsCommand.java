package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.format.Formatter;
import io.berth.cli.format.Units;
import io.berth.client.BerthClient.Query;
import io.berth.client.HttpResponse;
import io.berth.client.JsonLines;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stats}: live resource usage, computed from {@code /containers/{id}/stats} as docker does. */
@Command(description = "Display a live stream of container(s) resource usage statistics")
final class StatsCommand extends BaseCommand {
    static final String TABLE = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
    static final Map<String, String> HEADER = Map.of("ID", "CONTAINER ID", "Container", "CONTAINER", "Name", "NAME", "CPUPerc", "CPU %",
            "MemUsage", "MEM USAGE / LIMIT", "MemPerc", "MEM %", "NetIO", "NET I/O", "BlockIO", "BLOCK I/O", "PIDs", "PIDS");

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)") boolean all;
    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result") boolean noStream;
    @Option(names = "--no-trunc", description = "Do not truncate output") boolean noTrunc;
    @Option(names = "--format", description = "Format output using a custom template") String format;
    @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> args = new ArrayList<>();

    /** One stats sample as docker's StatsEntry fields. */
    static Row row(String container, JsonNode s, boolean trunc) {
        JsonNode cpu = s.path("cpu_stats"), pre = s.path("precpu_stats");
        double cpuDelta = cpu.path("cpu_usage").path("total_usage").asDouble() - pre.path("cpu_usage").path("total_usage").asDouble();
        double sysDelta = cpu.path("system_cpu_usage").asDouble() - pre.path("system_cpu_usage").asDouble();
        double online = cpu.path("online_cpus").asDouble();
        if (online == 0) online = cpu.path("cpu_usage").path("percpu_usage").size();
        double cpuPct = sysDelta > 0 && cpuDelta > 0 ? cpuDelta / sysDelta * online * 100.0 : 0.0;
        JsonNode mem = s.path("memory_stats");
        double usage = mem.path("usage").asDouble();
        JsonNode st = mem.path("stats");
        double inactive = st.has("total_inactive_file") ? st.path("total_inactive_file").asDouble() : st.path("inactive_file").asDouble();
        if (inactive < usage) usage -= inactive;
        double limit = mem.path("limit").asDouble();
        double memPct = limit != 0 ? usage / limit * 100.0 : 0.0;
        double rx = 0, tx = 0;
        for (JsonNode n : s.path("networks")) {
            rx += n.path("rx_bytes").asDouble();
            tx += n.path("tx_bytes").asDouble();
        }
        double read = 0, write = 0;
        for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            String op = e.path("op").asText("").toLowerCase();
            if (op.equals("read")) read += e.path("value").asDouble();
            else if (op.equals("write")) write += e.path("value").asDouble();
        }
        String id = s.path("id").asText("");
        String name = s.path("name").asText("");
        if (name.startsWith("/")) name = name.substring(1);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Container", container);
        f.put("ID", trunc ? Model.truncateId(id) : id);
        f.put("Name", name.isEmpty() ? "--" : name);
        f.put("CPUPerc", String.format("%.2f%%", cpuPct));
        f.put("MemUsage", Units.bytesSize(usage) + " / " + Units.bytesSize(limit));
        f.put("MemPerc", String.format("%.2f%%", memPct));
        f.put("NetIO", Units.humanSize(rx, 3) + " / " + Units.humanSize(tx, 3));
        f.put("BlockIO", Units.humanSize(read, 3) + " / " + Units.humanSize(write, 3));
        f.put("PIDs", Long.toString(s.path("pids_stats").path("current").asLong()));
        return new Row("*formatter.statsContext", f);
    }

    @Override int execute() throws Exception {
        List<String> names = new ArrayList<>(args);
        if (names.isEmpty()) {
            JsonNode list = RunCommands.readJson(client().raw("GET", "/containers/json", Query.of().flag("all", all)));
            for (JsonNode c : list) names.add(c.path("Id").asText());
        }
        String fmt = format == null || format.isEmpty() || format.equals("table") ? TABLE : format;
        Formatter formatter = new Formatter(fmt);
        Map<String, Row> latest = new ConcurrentHashMap<>();
        if (noStream) {
            List<Row> rows = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (String n : names) {
                try {
                    JsonNode s = RunCommands.readJson(client().raw("GET", "/containers/" + n + "/stats", Query.of().add("stream", "0")));
                    rows.add(row(n, s, !noTrunc));
                } catch (io.berth.client.ApiException e) {
                    errors.add(e.displayMessage());
                }
            }
            if (!errors.isEmpty()) throw new Main.CliException(String.join("\n", errors));
            Model.print(cli, formatter, rows, HEADER);
            return 0;
        }
        CountDownLatch done = new CountDownLatch(names.size());
        for (String n : names) {
            Thread.ofVirtual().start(() -> {
                try (HttpResponse r = client().call("GET", "/containers/" + n + "/stats", Query.of().add("stream", "1"), null, null)) {
                    JsonLines.read(r.body(), line -> latest.put(n, row(n, RunCommands.readJson(line), !noTrunc)));
                } catch (IOException | RuntimeException e) {
                    // the container went away: keep its last row
                } finally {
                    done.countDown();
                }
            });
        }
        while (true) {
            boolean finished = done.await(500, java.util.concurrent.TimeUnit.MILLISECONDS);
            List<Row> rows = new ArrayList<>();
            for (String n : names) if (latest.containsKey(n)) rows.add(latest.get(n));
            if (cli.stdoutTerminal) cli.out.print("\033[2J\033[H");
            Model.print(cli, formatter, rows, HEADER);
            if (finished) return 0;
        }
    }
}
