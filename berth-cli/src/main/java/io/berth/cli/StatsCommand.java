package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.api.container.ContainerStats;
import io.berth.api.container.ContainerStats.CpuStats;
import io.berth.api.container.ContainerStats.MemoryStats;
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
    static Row row(String container, JsonNode json, boolean trunc) {
        ContainerStats s = Json.wire().convertValue(json, ContainerStats.class);
        CpuStats cpu = s.cpuStats(), pre = s.precpuStats();
        double cpuDelta = totalUsage(cpu) - totalUsage(pre);
        double sysDelta = systemUsage(cpu) - systemUsage(pre);
        double online = cpu == null || cpu.onlineCpus() == null ? 0 : cpu.onlineCpus();
        if (online == 0 && cpu != null && cpu.cpuUsage() != null && cpu.cpuUsage().percpuUsage() != null) {
            online = cpu.cpuUsage().percpuUsage().size();
        }
        double cpuPct = sysDelta > 0 && cpuDelta > 0 ? cpuDelta / sysDelta * online * 100.0 : 0.0;
        MemoryStats mem = s.memoryStats() == null ? MemoryStats.EMPTY : s.memoryStats();
        double usage = orZero(mem.usage());
        Map<String, Long> st = mem.stats() == null ? Map.of() : mem.stats();
        double inactive = st.containsKey("total_inactive_file") ? orZero(st.get("total_inactive_file")) : orZero(st.get("inactive_file"));
        if (inactive < usage) usage -= inactive;
        double limit = orZero(mem.limit());
        double memPct = limit != 0 ? usage / limit * 100.0 : 0.0;
        double rx = 0, tx = 0;
        for (ContainerStats.NetworkStats n : s.networks() == null ? List.<ContainerStats.NetworkStats>of() : s.networks().values()) {
            rx += n.rxBytes();
            tx += n.txBytes();
        }
        double read = 0, write = 0;
        List<ContainerStats.BlkioEntry> io = s.blkioStats() == null ? null : s.blkioStats().ioServiceBytesRecursive();
        for (ContainerStats.BlkioEntry e : io == null ? List.<ContainerStats.BlkioEntry>of() : io) {
            String op = e.op() == null ? "" : e.op().toLowerCase();
            if (op.equals("read")) read += e.value();
            else if (op.equals("write")) write += e.value();
        }
        String id = s.id() == null ? "" : s.id();
        String name = s.name() == null ? "" : s.name();
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
        f.put("PIDs", Long.toString(s.pidsStats() == null ? 0 : (long) orZero(s.pidsStats().current())));
        return new Row("*formatter.statsContext", f);
    }

    private static double totalUsage(CpuStats c) { return c == null || c.cpuUsage() == null ? 0 : c.cpuUsage().totalUsage(); }

    private static double systemUsage(CpuStats c) { return c == null ? 0 : orZero(c.systemCpuUsage()); }

    private static double orZero(Long v) { return v == null ? 0 : v; }

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
