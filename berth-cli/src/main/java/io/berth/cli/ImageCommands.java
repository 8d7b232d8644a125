package io.berth.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.berth.api.Filters;
import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.api.errors.BerthException;
import io.berth.api.image.HistoryItem;
import io.berth.api.image.ImageDeleteItem;
import io.berth.api.image.ImagePruneReport;
import io.berth.api.image.ImageSummary;
import io.berth.cli.format.Formatter;
import io.berth.cli.format.Template;
import io.berth.cli.format.Units;
import io.berth.client.ApiException;
import io.berth.client.BerthClient.Query;
import io.berth.client.HttpResponse;
import io.berth.oci.Reference;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The image commands: ls, inspect, history, tag, rm, import, load, save, prune (pull and push: {@link RegistryCommands}). */
final class ImageCommands {
    private ImageCommands() {}

    static final String IMAGE_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
    static final String IMAGE_TABLE_DIGEST = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
    static final Map<String, String> IMAGE_HEADER = Map.ofEntries(Map.entry("ID", "IMAGE ID"), Map.entry("Repository", "REPOSITORY"),
            Map.entry("Tag", "TAG"), Map.entry("Digest", "DIGEST"), Map.entry("CreatedSince", "CREATED"), Map.entry("CreatedAt", "CREATED AT"),
            Map.entry("Size", "SIZE"), Map.entry("Containers", "CONTAINERS"), Map.entry("VirtualSize", "VIRTUAL SIZE"),
            Map.entry("SharedSize", "SHARED SIZE"), Map.entry("UniqueSize", "UNIQUE SIZE"));

    /** docker's imageFormat: one row per repository:tag (and digest), {@code <none>} rows for dangling images. */
    static List<Row> imageRows(Cli cli, List<ImageSummary> images, boolean trunc, boolean digests) {
        List<Row> rows = new ArrayList<>();
        for (ImageSummary img : images) {
            List<String> tags = img.repoTags() == null ? List.of() : img.repoTags();
            List<String> dgs = img.repoDigests() == null ? List.of() : img.repoDigests();
            boolean dangling = (tags.isEmpty() && dgs.isEmpty())
                    || (tags.size() == 1 && tags.getFirst().equals("<none>:<none>") && dgs.size() == 1 && dgs.getFirst().equals("<none>@<none>"));
            if (dangling) {
                rows.add(imageRow(cli, img, trunc, "<none>", "<none>", "<none>"));
                continue;
            }
            Map<String, List<String>> repoTags = new LinkedHashMap<>();
            Map<String, List<String>> repoDigests = new LinkedHashMap<>();
            for (String t : tags) {
                try {
                    Reference r = Reference.parse(t);
                    if (r.tag() != null && r.digest() == null) repoTags.computeIfAbsent(r.familiarName(), k -> new ArrayList<>()).add(r.tag());
                } catch (BerthException.InvalidArgument ignored) { /* skipped like docker */ }
            }
            for (String d : dgs) {
                try {
                    Reference r = Reference.parse(d);
                    if (r.digest() != null) repoDigests.computeIfAbsent(r.familiarName(), k -> new ArrayList<>()).add(r.digest());
                } catch (BerthException.InvalidArgument ignored) { /* skipped like docker */ }
            }
            for (var e : repoTags.entrySet()) {
                List<String> ds = repoDigests.remove(e.getKey());
                if (!digests) ds = null;
                for (String tag : e.getValue()) {
                    if (ds == null || ds.isEmpty()) rows.add(imageRow(cli, img, trunc, e.getKey(), tag, "<none>"));
                    else for (String d : ds) rows.add(imageRow(cli, img, trunc, e.getKey(), tag, d));
                }
            }
            for (var e : repoDigests.entrySet()) {
                if (digests) for (String d : e.getValue()) rows.add(imageRow(cli, img, trunc, e.getKey(), "<none>", d));
                else rows.add(imageRow(cli, img, trunc, e.getKey(), "<none>", ""));
            }
        }
        return rows;
    }

    private static Row imageRow(Cli cli, ImageSummary i, boolean trunc, String repo, String tag, String digest) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Containers", i.containers() == -1 ? "N/A" : Long.toString(i.containers()));
        f.put("CreatedAt", Model.goTime(i.created()));
        f.put("CreatedSince", i.created() == 0 ? "" : Model.since(cli, i.created()));
        f.put("Digest", digest);
        f.put("ID", trunc ? Model.truncateId(i.id()) : i.id());
        f.put("Repository", repo);
        f.put("SharedSize", i.sharedSize() == -1 ? "N/A" : Units.humanSize(i.sharedSize(), 3));
        f.put("Size", Units.humanSize(i.size(), 3));
        f.put("Tag", tag);
        f.put("UniqueSize", i.size() == -1 || i.sharedSize() == -1 ? "N/A" : Units.humanSize(i.size() - i.sharedSize(), 3));
        f.put("VirtualSize", Units.humanSize(i.virtualSize() != null && i.virtualSize() != 0 ? i.virtualSize() : i.size(), 3));
        return new Row("*formatter.imageContext", f);
    }

    static Filters filters(List<String> pairs) {
        try {
            return Filters.ofPairs(pairs);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), 125, "See");
        }
    }

    @Command(description = "List images")
    static final class Ls extends BaseCommand {
        @Option(names = {"-a", "--all"}, description = "Show all images (default hides intermediate images)") boolean all;
        @Option(names = {"-q", "--quiet"}, description = "Only show image IDs") boolean quiet;
        @Option(names = "--digests", description = "Show digests") boolean digests;
        @Option(names = "--no-trunc", description = "Don't truncate output") boolean noTrunc;
        @Option(names = "--format", description = "Format output using a custom template") String format;
        @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions provided") List<String> filter = new ArrayList<>();
        @Parameters(arity = "0..*", paramLabel = "REPOSITORY[:TAG]") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 0, 1);
            List<String> pairs = new ArrayList<>(filter);
            if (!args.isEmpty()) pairs.add("reference=" + args.getFirst());
            Filters f = filters(pairs);
            String fmt = format;
            if (quiet) fmt = "{{.ID}}";
            else if (fmt == null || fmt.isEmpty() || fmt.equals("table")) fmt = digests ? IMAGE_TABLE_DIGEST : IMAGE_TABLE;
            Formatter formatter = new Formatter(fmt);
            Query q = Query.of().flag("all", all);
            if (!f.isEmpty()) q.add("filters", f.toJson());
            List<ImageSummary> images = client().get("/images/json", q, new TypeReference<List<ImageSummary>>() {});
            boolean showDigests = digests || (format != null && format.contains("{{.Digest}}"));
            Model.print(cli, formatter, imageRows(cli, images == null ? List.of() : images, !noTrunc, showDigests), IMAGE_HEADER);
            return 0;
        }
    }

    @Command(description = "Display detailed information on one or more images")
    static final class Inspect extends BaseCommand {
        private final boolean generic;
        @Option(names = {"-f", "--format"}, description = "Format output using a custom template") String format;
        @Option(names = {"-s", "--size"}, description = "Display total file sizes") boolean size;
        @Option(names = "--type", description = "Only inspect objects of the given type") String type;
        @Parameters(arity = "0..*", paramLabel = "IMAGE") List<String> args = new ArrayList<>();

        Inspect(boolean generic) { this.generic = generic; }

        @Override int execute() {
            Main.requireArgs(args, 1, Integer.MAX_VALUE);
            if (type != null && !type.isEmpty() && !type.equals("image"))
                throw new Main.CliException("\"" + type + "\" is not a valid value for --type");
            InspectOutput output = new InspectOutput(cli, format);
            List<String> errors = new ArrayList<>();
            for (String name : args) {
                try {
                    output.add(client().raw("GET", "/images/" + name + "/json", null));
                } catch (ApiException e) {
                    if (e.status() != 404) throw e;
                    errors.add(generic ? "Error: No such object: " + name : e.displayMessage());
                }
            }
            output.finish(errors);
            return 0;
        }
    }

    static final String HISTORY_TABLE = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    static final String HISTORY_TABLE_NONHUMAN = "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    static final Map<String, String> HISTORY_HEADER = Map.of("ID", "IMAGE", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT",
            "CreatedBy", "CREATED BY", "Size", "SIZE", "Comment", "COMMENT");

    @Command(description = "Show the history of an image")
    static final class History extends BaseCommand {
        @Option(names = {"-H", "--human"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
                description = "Print sizes and dates in human readable format") boolean human;
        @Option(names = "--no-trunc", description = "Don't truncate output") boolean noTrunc;
        @Option(names = {"-q", "--quiet"}, description = "Only show image IDs") boolean quiet;
        @Option(names = "--format", description = "Format output using a custom template") String format;
        @Option(names = "--platform", description = "Show history for the given platform") String platform;
        @Parameters(arity = "0..*", paramLabel = "IMAGE") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 1, 1);
            String fmt = format;
            if (quiet) fmt = "{{.ID}}";
            else if (fmt == null || fmt.isEmpty() || fmt.equals("table")) fmt = human ? HISTORY_TABLE : HISTORY_TABLE_NONHUMAN;
            Formatter formatter = new Formatter(fmt);
            Query q = Query.of();
            if (platform != null) q.add("platform", platformJson(platform));
            List<HistoryItem> items = client().get("/images/" + args.getFirst() + "/history", q, new TypeReference<List<HistoryItem>>() {});
            List<Row> rows = new ArrayList<>();
            for (HistoryItem h : items == null ? List.<HistoryItem>of() : items) {
                Map<String, Object> f = new LinkedHashMap<>();
                String createdBy = h.createdBy() == null ? "" : h.createdBy().replace("\t", " ");
                f.put("Comment", h.comment() == null ? "" : h.comment());
                f.put("CreatedAt", Model.rfc3339(h.created()));
                f.put("CreatedBy", noTrunc ? createdBy : ellipsis(createdBy, 45));
                f.put("CreatedSince", human ? Model.since(cli, h.created()) : Model.rfc3339(h.created()));
                f.put("ID", noTrunc ? h.id() : Model.truncateId(h.id()));
                f.put("Size", human ? Units.humanSize(h.size(), 3) : Long.toString(h.size()));
                rows.add(new Row("*formatter.historyContext", f));
            }
            Model.print(cli, formatter, rows, HISTORY_HEADER);
            return 0;
        }
    }

    /** The message of an error line in a progress stream: {@code errorDetail.message}, else {@code error}. */
    static String streamError(JsonMessage m) {
        return m.errorDetail() != null && m.errorDetail().message() != null ? m.errorDetail().message() : m.error();
    }

    static String platformJson(String p) {
        String[] parts = p.split("/");
        Map<String, String> m = new LinkedHashMap<>();
        m.put("os", parts[0]);
        if (parts.length > 1) m.put("architecture", parts[1]);
        if (parts.length > 2) m.put("variant", parts[2]);
        try {
            return Json.plain().writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String ellipsis(String s, int max) {
        int n = s.codePointCount(0, s.length());
        if (n <= max) return s;
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    @Command(description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE")
    static final class Tag extends BaseCommand {
        private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

        @Parameters(arity = "0..*") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 2, 2);
            Reference target;
            try {
                if (!IMAGE_ID.matcher(args.get(0)).matches()) Reference.parse(args.get(0)); // an ID is a valid source, as in docker
                target = Reference.parse(args.get(1));
            } catch (BerthException.InvalidArgument e) {
                throw new Main.CliException("Error parsing reference: \"" + args.get(1) + "\" is not a valid repository/tag: " + e.getMessage());
            }
            if (target.digest() != null) throw new Main.CliException("refusing to create a tag with a digest reference");
            client().raw("POST", "/images/" + args.get(0) + "/tag",
                    Query.of().add("repo", target.name()).add("tag", target.tag() == null ? "latest" : target.tag()));
            return 0;
        }
    }

    @Command(description = "Remove one or more images")
    static final class Rm extends BaseCommand {
        @Option(names = {"-f", "--force"}, description = "Force removal of the image") boolean force;
        @Option(names = "--no-prune", description = "Do not delete untagged parents") boolean noPrune;
        @Option(names = "--platform", description = "Remove only the given platform variant") List<String> platforms = new ArrayList<>();
        @Parameters(arity = "0..*", paramLabel = "IMAGE") List<String> args = new ArrayList<>();

        @Override int execute() {
            Main.requireArgs(args, 1, Integer.MAX_VALUE);
            List<String> errors = new ArrayList<>();
            for (String img : args) {
                try {
                    List<ImageDeleteItem> items = client().delete("/images/" + img,
                            Query.of().flag("force", force).flag("noprune", noPrune), new TypeReference<List<ImageDeleteItem>>() {});
                    for (ImageDeleteItem d : items == null ? List.<ImageDeleteItem>of() : items) {
                        if (d.deleted() != null && !d.deleted().isEmpty()) cli.out.println("Deleted: " + d.deleted());
                        else cli.out.println("Untagged: " + d.untagged());
                    }
                } catch (ApiException e) {
                    errors.add(e.displayMessage());
                }
            }
            cli.out.flush();
            if (!errors.isEmpty()) throw new Main.CliException(String.join("\n", errors));
            return 0;
        }
    }

    /** Prints a JSON message stream as docker's jsonmessage.DisplayJSONMessagesStream (a raw body as it is). */
    static void displayStream(Cli cli, HttpResponse r) {
        if (!r.isJson()) {
            try (r) {
                r.body().transferTo(cli.out);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            cli.out.flush();
            return;
        }
        ProgressDisplay.show(cli, r, cli.out, cli.stdoutTerminal, null);
    }

    @Command(description = "Import the contents from a tarball to create a filesystem image")
    static final class Import extends BaseCommand {
        @Option(names = {"-c", "--change"}, description = "Apply Dockerfile instruction to the created image") List<String> changes = new ArrayList<>();
        @Option(names = {"-m", "--message"}, description = "Set commit message for imported image") String message;
        @Option(names = "--platform", description = "Set platform if server is multi-platform capable") String platform;
        @Parameters(arity = "0..*") List<String> args = new ArrayList<>();

        @Override int execute() throws IOException {
            Main.requireArgs(args, 1, 2);
            String src = args.getFirst();
            Query q = Query.of();
            InputStream body = null;
            if (src.equals("-")) {
                q.add("fromSrc", "-");
                body = cli.in;
            } else if (src.startsWith("http://") || src.startsWith("https://")) {
                q.add("fromSrc", src);
            } else {
                Path p = Path.of(src);
                if (!Files.exists(p)) throw new Main.CliException("open " + src + ": no such file or directory");
                q.add("fromSrc", "-");
                body = Files.newInputStream(p);
            }
            if (args.size() > 1) {
                Reference r;
                try {
                    r = Reference.parse(args.get(1));
                } catch (BerthException.InvalidArgument e) {
                    throw new Main.CliException(e.getMessage());
                }
                q.add("repo", args.get(1).contains(":") && r.tag() != null ? args.get(1).substring(0, args.get(1).lastIndexOf(':')) : args.get(1));
                if (r.tag() != null) q.add("tag", r.tag());
            }
            q.add("message", message).addAll("changes", changes).add("platform", platform);
            HttpResponse r = body == null ? client().call("POST", "/images/create", q, null, null)
                    : client().call("POST", "/images/create", q, Map.of("Content-Type", "application/x-tar"), body);
            try (InputStream ignored = body) {
                displayStream(cli, r);
            }
            return 0;
        }
    }

    @Command(description = "Load an image from a tar archive or STDIN")
    static final class Load extends BaseCommand {
        @Option(names = {"-i", "--input"}, description = "Read from tar archive file, instead of STDIN") String input;
        @Option(names = {"-q", "--quiet"}, description = "Suppress the load output") boolean quiet;
        @Option(names = "--platform", description = "Load only the given platform(s)") List<String> platforms = new ArrayList<>();

        @Override int execute() throws IOException {
            InputStream body;
            if (input == null || input.isEmpty()) {
                if (cli.stdinTerminal) throw new Main.CliException("requested load from stdin, but stdin is empty");
                body = cli.in;
            } else {
                Path p = Path.of(input);
                if (!Files.exists(p)) throw new Main.CliException("open " + input + ": no such file or directory");
                body = Files.newInputStream(p);
            }
            boolean q = quiet || !cli.stdoutTerminal;
            Query query = Query.of().flag("quiet", q);
            for (String p : platforms) query.add("platform", platformJson(p));
            HttpResponse r = client().call("POST", "/images/load", query, Map.of("Content-Type", "application/x-tar"), body);
            try (InputStream ignored = body) {
                displayStream(cli, r);
            }
            return 0;
        }
    }

    @Command(description = "Save one or more images to a tar archive (streamed to STDOUT by default)")
    static final class Save extends BaseCommand {
        @Option(names = {"-o", "--output"}, description = "Write to a file, instead of STDOUT") String output;
        @Option(names = "--platform", description = "Save only the given platform(s)") List<String> platforms = new ArrayList<>();
        @Parameters(arity = "0..*", paramLabel = "IMAGE") List<String> args = new ArrayList<>();

        @Override int execute() throws IOException {
            Main.requireArgs(args, 1, Integer.MAX_VALUE);
            if ((output == null || output.isEmpty()) && cli.stdoutTerminal)
                throw new Main.CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            Query q = Query.of().addAll("names", args);
            for (String p : platforms) q.add("platform", platformJson(p));
            try (InputStream in = client().stream("GET", "/images/get", q)) {
                if (output == null || output.isEmpty()) {
                    in.transferTo(cli.out);
                    cli.out.flush();
                } else {
                    Path target = Path.of(output).toAbsolutePath();
                    Path tmp = Files.createTempFile(target.getParent(), ".docker_temp_", "");
                    try {
                        try (OutputStream o = Files.newOutputStream(tmp)) {
                            in.transferTo(o);
                        }
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                }
            }
            return 0;
        }
    }

    static boolean confirm(Cli cli, String warning) throws IOException {
        cli.out.print(warning + " [y/N] ");
        cli.out.flush();
        String line = new BufferedReader(new InputStreamReader(cli.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) return false;
        String a = line.trim().toLowerCase();
        return a.equals("y") || a.equals("yes");
    }

    @Command(description = "Remove unused images")
    static final class Prune extends BaseCommand {
        @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones") boolean all;
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation") boolean force;
        @Option(names = "--filter", description = "Provide filter values (e.g. \"until=<timestamp>\")") List<String> filter = new ArrayList<>();

        @Override int execute() throws IOException {
            List<String> pairs = new ArrayList<>(filter);
            pairs.add("dangling=" + !all);
            Filters f = filters(pairs);
            String warning = all
                    ? "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?"
                    : "WARNING! This will remove all dangling images.\nAre you sure you want to continue?";
            if (!force && !confirm(cli, warning)) return 0;
            ImagePruneReport report = client().post("/images/prune", Query.of().add("filters", f.toJson()), ImagePruneReport.class);
            StringBuilder sb = new StringBuilder();
            if (report != null && report.imagesDeleted() != null && !report.imagesDeleted().isEmpty()) {
                sb.append("Deleted Images:\n");
                for (ImageDeleteItem d : report.imagesDeleted()) {
                    if (d.untagged() != null && !d.untagged().isEmpty()) sb.append("untagged: ").append(d.untagged()).append('\n');
                    else sb.append("deleted: ").append(d.deleted()).append('\n');
                }
                sb.append('\n');
            }
            sb.append("Total reclaimed space: ").append(Units.humanSize(report == null ? 0 : report.spaceReclaimed())).append('\n');
            cli.out.print(sb);
            cli.out.flush();
            return 0;
        }
    }
}
