package io.berth.cli;

import io.berth.api.Filters;
import io.berth.api.image.ImageSummary;
import io.berth.api.system.DiskUsage;
import io.berth.cli.format.Formatter;
import io.berth.cli.format.TabWriter;
import io.berth.cli.format.Template;
import io.berth.cli.format.TemplateObject;
import io.berth.cli.format.Units;
import io.berth.client.BerthClient.Query;
import io.berth.client.DaemonUnavailableException;
import io.berth.client.HttpResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** version, info, system df, events. */
final class SystemCommands {
    private SystemCommands() {}

    static final String VERSION_TEMPLATE = """
            {{with .Client -}}
            Client:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
             Version:\t{{.Version}}
             API version:\t{{.APIVersion}}{{if ne .APIVersion .DefaultAPIVersion}} (downgraded from {{.DefaultAPIVersion}}){{end}}
             Go version:\t{{.GoVersion}}
             Git commit:\t{{.GitCommit}}
             Built:\t{{.BuildTime}}
             OS/Arch:\t{{.Os}}/{{.Arch}}
             Context:\t{{.Context}}
            {{- end}}

            {{- if .Server}}{{with .Server}}

            Server:{{if ne .Platform.Name ""}} {{.Platform.Name}}{{end}}
             {{- range $component := .Components}}
             {{$component.Name}}:
              {{- if eq $component.Name "Engine" }}
              Version:\t{{.Version}}
              API version:\t{{index .Details "ApiVersion"}} (minimum version {{index .Details "MinAPIVersion"}})
              Go version:\t{{index .Details "GoVersion"}}
              Git commit:\t{{index .Details "GitCommit"}}
              Built:\t{{index .Details "BuildTime"}}
              OS/Arch:\t{{index .Details "Os"}}/{{index .Details "Arch"}}
              Experimental:\t{{index .Details "Experimental"}}
              {{- else }}
              Version:\t{{$component.Version}}
              {{- range $key, $value := $component.Details}}
              {{$key}}:\t{{$value}}
               {{- end}}
              {{- end}}
             {{- end}}
             {{- end}}{{- end}}""";

    static String goArch() {
        String a = System.getProperty("os.arch");
        return switch (a) { case "x86_64", "amd64" -> "amd64"; case "aarch64" -> "arm64"; default -> a; };
    }

    @Command(description = "Show the Berth version information")
    static final class Version extends BaseCommand {
        @Option(names = {"-f", "--format"}, description = "Format output using a custom template") String format;

        @Override int execute() {
            Map<String, Object> client = new LinkedHashMap<>();
            client.put("Platform", Map.of("Name", ""));
            client.put("Version", Main.VERSION);
            client.put("APIVersion", "1.47");
            client.put("DefaultAPIVersion", "1.47");
            client.put("GoVersion", "java" + Runtime.version().feature());
            client.put("GitCommit", "unknown");
            client.put("BuildTime", "");
            client.put("Os", "linux");
            client.put("Arch", goArch());
            client.put("Context", "default");
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("Client", client);
            data.put("Server", null);
            RuntimeException failure = null;
            try {
                client.put("APIVersion", client().apiVersion().toString());
                Object server = Model.parse(client().raw("GET", "/version", null));
                if (server instanceof Map<?, ?> m && !m.containsKey("Platform")) ((Map<String, Object>) castMap(m)).put("Platform", Map.of("Name", ""));
                data.put("Server", server);
            } catch (DaemonUnavailableException | io.berth.client.ApiException e) {
                failure = e;
            }
            String out;
            if (format != null && !format.isEmpty()) {
                out = format.equals("json") ? io.berth.cli.format.GoFmt.json(data) : Template.parse(format.replace("\\t", "\t").replace("\\n", "\n")).execute(data);
                cli.out.println(out);
            } else {
                out = new TabWriter(20, 1).format(Template.parse(VERSION_TEMPLATE).execute(data));
                cli.out.println(out);
            }
            cli.out.flush();
            if (failure != null) throw failure;
            return 0;
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> castMap(Map<?, ?> m) { return (Map<String, Object>) m; }
    }

    @Command(description = "Display system-wide information")
    static final class Info extends BaseCommand {
        @Option(names = {"-f", "--format"}, description = "Format output using a custom template") String format;

        @Override @SuppressWarnings("unchecked") int execute() {
            Object raw = Model.parse(client().raw("GET", "/info", null));
            if (format != null && !format.isEmpty()) {
                String t = format.equals("json") ? "{{json .}}" : format.replace("\\t", "\t").replace("\\n", "\n");
                cli.out.println(Template.parse(t).execute(raw));
                cli.out.flush();
                return 0;
            }
            Map<String, Object> i = raw instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            StringBuilder sb = new StringBuilder();
            sb.append("Client:\n Version:    ").append(Main.VERSION).append("\n Context:    default\n Debug Mode: ").append(cli.debug).append("\n\n");
            sb.append("Server:\n");
            line(sb, " Containers", i.get("Containers"));
            line(sb, "  Running", i.get("ContainersRunning"));
            line(sb, "  Paused", i.get("ContainersPaused"));
            line(sb, "  Stopped", i.get("ContainersStopped"));
            line(sb, " Images", i.get("Images"));
            line(sb, " Server Version", i.get("ServerVersion"));
            line(sb, " Storage Driver", i.get("Driver"));
            if (i.get("DriverStatus") instanceof List<?> ds) for (Object o : ds) if (o instanceof List<?> kv && kv.size() == 2) line(sb, "  " + kv.get(0), kv.get(1));
            line(sb, " Logging Driver", i.get("LoggingDriver"));
            line(sb, " Cgroup Driver", i.get("CgroupDriver"));
            line(sb, " Cgroup Version", i.get("CgroupVersion"));
            if (i.get("Plugins") instanceof Map<?, ?> p) {
                sb.append(" Plugins:\n");
                for (String k : List.of("Volume", "Network", "Log")) {
                    if (p.get(k) instanceof List<?> l) sb.append("  ").append(k).append(": ").append(String.join(" ", l.stream().map(String::valueOf).toList())).append('\n');
                }
            }
            if (i.get("Runtimes") instanceof Map<?, ?> r) line(sb, " Runtimes", String.join(" ", new TreeMap<>(r).keySet().stream().map(String::valueOf).toList()));
            line(sb, " Default Runtime", i.get("DefaultRuntime"));
            if (i.get("SecurityOptions") instanceof List<?> so && !so.isEmpty()) {
                sb.append(" Security Options:\n");
                for (Object o : so) sb.append("  ").append(String.valueOf(o).replaceFirst("^name=", "")).append('\n');
            }
            line(sb, " Kernel Version", i.get("KernelVersion"));
            line(sb, " Operating System", i.get("OperatingSystem"));
            line(sb, " OSType", i.get("OSType"));
            line(sb, " Architecture", i.get("Architecture"));
            line(sb, " CPUs", i.get("NCPU"));
            if (i.get("MemTotal") instanceof Number n) line(sb, " Total Memory", bytesSize(n.doubleValue()));
            line(sb, " Name", i.get("Name"));
            line(sb, " ID", i.get("ID"));
            line(sb, " Docker Root Dir", i.get("DockerRootDir"));
            line(sb, " Debug Mode", i.get("Debug"));
            line(sb, " Experimental", i.get("ExperimentalBuild"));
            line(sb, " Live Restore Enabled", i.get("LiveRestoreEnabled"));
            cli.out.print(sb.append('\n'));
            if (i.get("Warnings") instanceof List<?> w) for (Object o : w) cli.err.println(o);
            cli.out.flush();
            return 0;
        }

        private static void line(StringBuilder sb, String k, Object v) {
            if (v == null || "".equals(v)) return;
            sb.append(k).append(": ").append(io.berth.cli.format.GoFmt.sprint(v)).append('\n');
        }

        /** go-units BytesSize: binary units, 4 significant digits. */
        static String bytesSize(double size) {
            String[] u = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
            int i = 0;
            while (size >= 1024 && i < u.length - 1) { size /= 1024; i++; }
            return String.format("%.4g", size).replaceAll("\\.?0+$", "") + u[i];
        }
    }

    static final Map<String, String> DF_HEADER = Map.of("Type", "TYPE", "TotalCount", "TOTAL", "Active", "ACTIVE", "Size", "SIZE", "Reclaimable", "RECLAIMABLE");

    @Command(description = "Show docker disk usage")
    static final class Df extends BaseCommand {
        @Option(names = {"-v", "--verbose"}, description = "Show detailed information on space usage") boolean verbose;
        @Option(names = "--format", description = "Format output using a custom template") String format;

        @Override int execute() {
            DiskUsage du = client().get("/system/df", null, DiskUsage.class);
            List<ImageSummary> images = du == null || du.images() == null ? List.of() : du.images();
            if (verbose) {
                StringBuilder sb = new StringBuilder("Images space usage:\n\n");
                Formatter f = new Formatter("table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}");
                sb.append(f.render(ImageCommands.imageRows(cli, images, true, false), ImageCommands.IMAGE_HEADER));
                sb.append("\nContainers space usage:\n\nCONTAINER ID   IMAGE     COMMAND   LOCAL VOLUMES   SIZE      CREATED   STATUS    NAMES\n");
                sb.append("\nLocal Volumes space usage:\n\nVOLUME NAME   LINKS     SIZE\n");
                sb.append("\nBuild cache usage: ").append(Units.humanSize(BuildCacheUsage.of(du).size())).append("\n\n");
                sb.append(new Formatter("table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}")
                        .render(BuildCacheUsage.rows(cli, du), BuildCacheUsage.HEADER));
                cli.out.print(sb);
                cli.out.flush();
                return 0;
            }
            long total = du == null ? 0 : du.layersSize();
            long used = 0;
            int active = 0;
            for (ImageSummary i : images) {
                if (i.containers() > 0) active++;
                // docker counts every image whose Containers is not 0 (including -1, "unknown") as in use
                if (i.containers() != 0 && i.size() != -1 && i.sharedSize() != -1) used += i.size() - i.sharedSize();
            }
            long reclaimable = total - used;
            String rec = total > 0 ? Units.humanSize(reclaimable) + " (" + (reclaimable * 100 / total) + "%)" : Units.humanSize(reclaimable);
            List<Row> rows = List.of(
                    dfRow("Images", images.size(), active, Units.humanSize(total), rec),
                    dfRow("Containers", 0, 0, "0B", "0B"),
                    dfRow("Local Volumes", 0, 0, "0B", "0B"),
                    BuildCacheUsage.of(du).row());
            String fmt = format == null || format.isEmpty() || format.equals("table")
                    ? "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}" : format;
            Model.print(cli, new Formatter(fmt), rows, DF_HEADER);
            return 0;
        }

        static Row dfRow(String type, int total, int active, String size, String rec) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("Active", Integer.toString(active));
            f.put("Reclaimable", rec);
            f.put("Size", size);
            f.put("TotalCount", Integer.toString(total));
            f.put("Type", type);
            return new Row("*formatter.diskUsageContext", f);
        }
    }

    /** docker's jsonmessage.RFC3339NanoFixed in local time. */
    static final DateTimeFormatter NANO_FIXED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

    @Command(description = "Get real time events from the server")
    static final class Events extends BaseCommand {
        @Option(names = "--since", description = "Show all events created since timestamp") String since;
        @Option(names = "--until", description = "Stream events until this timestamp") String until;
        @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions provided") List<String> filter = new ArrayList<>();
        @Option(names = "--format", description = "Format output using a custom template") String format;

        @Override int execute() {
            Filters f = ImageCommands.filters(filter);
            Query q = Query.of().add("since", since).add("until", until);
            if (!f.isEmpty()) q.add("filters", f.toJson());
            Template tmpl = format == null || format.isEmpty() ? null
                    : Template.parse(format.equals("json") ? "{{json .}}" : format.replace("\\t", "\t").replace("\\n", "\n"));
            HttpResponse r = client().call("GET", "/events", q, null, null);
            try (r) {
                io.berth.client.JsonLines.read(r.body(), bytes -> {
                    Object ev = Model.parse(bytes);
                    if (!(ev instanceof Map<?, ?> m)) return;
                    cli.out.print(tmpl == null ? pretty(m) : tmpl.execute(new Event(m)) + "\n");
                    cli.out.flush();
                });
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return 0;
        }

        static String pretty(Map<?, ?> m) {
            StringBuilder sb = new StringBuilder();
            long nano = m.get("timeNano") instanceof Number n ? n.longValue() : 0;
            long sec = m.get("time") instanceof Number n ? n.longValue() : 0;
            if (nano != 0) sb.append(NANO_FIXED.format(Instant.ofEpochSecond(0, nano).atZone(ZoneId.systemDefault()))).append(' ');
            else if (sec != 0) sb.append(NANO_FIXED.format(Instant.ofEpochSecond(sec).atZone(ZoneId.systemDefault()))).append(' ');
            Map<?, ?> actor = m.get("Actor") instanceof Map<?, ?> a ? a : Map.of();
            sb.append(str(m.get("Type"))).append(' ').append(str(m.get("Action"))).append(' ').append(str(actor.get("ID")));
            if (actor.get("Attributes") instanceof Map<?, ?> attrs && !attrs.isEmpty()) {
                List<String> parts = new ArrayList<>();
                new TreeMap<>(attrs).forEach((k, v) -> parts.add(k + "=" + str(v)));
                sb.append(" (").append(String.join(", ", parts)).append(')');
            }
            return sb.append('\n').toString();
        }

        private static String str(Object o) { return o == null ? "" : String.valueOf(o); }
    }

    /** An event as Go's events.Message: Go field names for templates, wire JSON for {@code json}. */
    record Event(Map<?, ?> raw) implements TemplateObject {
        @Override public Object field(String name) {
            Object v = switch (name) {
                case "Status" -> raw.get("status");
                case "ID" -> raw.get("id");
                case "From" -> raw.get("from");
                case "Type" -> raw.get("Type");
                case "Action" -> raw.get("Action");
                case "Actor" -> raw.get("Actor") instanceof Map<?, ?> a ? new Actor(a) : new Actor(Map.of());
                case "Scope" -> raw.get("scope");
                case "Time" -> raw.get("time");
                case "TimeNano" -> raw.get("timeNano");
                default -> throw new io.berth.cli.format.TemplateException(
                        "template: :1: executing \"\" at <." + name + ">: can't evaluate field " + name + " in type events.Message");
            };
            return v == null ? (name.startsWith("Time") ? (Object) 0L : "") : v;
        }

        @Override public Object toJson() { return raw; }

        @Override public String typeName() { return "events.Message"; }
    }

    record Actor(Map<?, ?> raw) implements TemplateObject {
        @Override public Object field(String name) {
            return switch (name) {
                case "ID" -> raw.get("ID") == null ? "" : raw.get("ID");
                case "Attributes" -> raw.get("Attributes") == null ? Map.of() : raw.get("Attributes");
                default -> throw new io.berth.cli.format.TemplateException("template: :1: can't evaluate field " + name + " in type events.Actor");
            };
        }

        @Override public Object toJson() { return raw; }
    }
}
