package io.berth.cli;

import io.berth.api.Filters;
import io.berth.cli.format.Units;
import io.berth.client.BerthClient.Query;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code builder prune}: docker's command over {@code POST /build/prune}. */
final class BuilderCommands {
    private BuilderCommands() {}

    /** {@code POST /build/prune}'s answer: {@code {"CachesDeleted":[…],"SpaceReclaimed":N}}. */
    record PruneReport(List<String> cachesDeleted, long spaceReclaimed) {}

    @Command(description = "Remove build cache")
    static final class Prune extends BaseCommand {
        @Option(names = {"-a", "--all"}, description = "Remove all unused build cache, not just dangling ones") boolean all;
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation") boolean force;
        @Option(names = "--filter", description = "Provide filter values (e.g. \"until=24h\")") List<String> filter = new ArrayList<>();
        @Option(names = {"--keep-storage", "--reserved-space"}, converter = Opts.Mem.class, description = "Amount of disk space to keep for cache") long keepStorage;

        @Override int execute() throws IOException {
            String warning = all ? "WARNING! This will remove all build cache. Are you sure you want to continue?"
                    : "WARNING! This will remove all dangling build cache. Are you sure you want to continue?";
            if (!force && !ImageCommands.confirm(cli, warning)) return 0;
            Filters f = ImageCommands.filters(filter);
            Query q = Query.of().flag("all", all);
            if (!f.isEmpty()) q.add("filters", f.toJson());
            if (keepStorage > 0) q.add("keep-storage", Long.toString(keepStorage));
            PruneReport report = client().post("/build/prune", q, PruneReport.class);
            StringBuilder sb = new StringBuilder();
            if (report != null && report.cachesDeleted() != null && !report.cachesDeleted().isEmpty()) {
                sb.append("Deleted build cache objects:\n");
                for (String id : report.cachesDeleted()) sb.append(id).append('\n');
                sb.append('\n');
            }
            sb.append("Total reclaimed space: ").append(Units.humanSize(report == null ? 0 : report.spaceReclaimed())).append('\n');
            cli.out.print(sb);
            cli.out.flush();
            return 0;
        }
    }
}
