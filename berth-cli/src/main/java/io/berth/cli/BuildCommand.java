package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.build.DockerIgnore;
import io.berth.cli.format.Units;
import io.berth.client.BuildOptions;
import io.berth.client.HttpResponse;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth build}: docker's classic {@code build} command over {@code POST /build}. The context is a directory
 * (tarred here as {@link ContextArchive} says, {@code .dockerignore} applied), {@code -} (a tar, compressed or not,
 * or a Dockerfile, on stdin) or a URL the daemon fetches. The output is drawn by {@link BuildDisplay}; a failed
 * build exits with the {@code errorDetail.code} of its error (a failed RUN's exit code), 1 when there is none.
 * {@code --secret} (which the classic docker CLI refuses) sends the secrets in Berth's {@code X-Berth-Build-Secrets}
 * header for {@code RUN --mount=type=secret}.
 */
@Command(description = "Build an image from a Dockerfile")
final class BuildCommand extends BaseCommand {
    @Option(names = {"-t", "--tag"}, description = "Name and optionally a tag in the \"name:tag\" format") List<String> tags = new ArrayList<>();
    @Option(names = {"-f", "--file"}, description = "Name of the Dockerfile (Default is \"PATH/Dockerfile\")") String file;
    @Option(names = "--build-arg", description = "Set build-time variables") List<String> buildArgs = new ArrayList<>();
    @Option(names = "--label", description = "Set metadata for an image") List<String> labels = new ArrayList<>();
    @Option(names = "--target", description = "Set the target build stage to build.") String target;
    @Option(names = "--no-cache", description = "Do not use cache when building the image") boolean noCache;
    @Option(names = "--pull", description = "Always attempt to pull a newer version of the image") boolean pull;
    @Option(names = {"-q", "--quiet"}, description = "Suppress the build output and print image ID on success") boolean quiet;
    @Option(names = "--rm", arity = "0..1", fallbackValue = "true", description = "Remove intermediate containers after a successful build (default true)") boolean rm = true;
    @Option(names = "--force-rm", description = "Always remove intermediate containers") boolean forceRm;
    @Option(names = "--network", description = "Set the networking mode for the RUN instructions during build (default \"default\")") String network;
    @Option(names = "--add-host", converter = Opts.HostConv.class, description = "Add a custom host-to-IP mapping (\"host:ip\")") List<String> addHosts = new ArrayList<>();
    @Option(names = "--cache-from", description = "Images to consider as cache sources") List<String> cacheFrom = new ArrayList<>();
    @Option(names = "--secret", description = "Secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\" or \"id=x,env=VAR\")") List<String> secrets = new ArrayList<>();
    @Option(names = "--iidfile", description = "Write the image ID to the file") String iidFile;
    @Option(names = "--platform", description = "Set platform if server is multi-platform capable") String platform;
    @Parameters(arity = "0..*", paramLabel = "PATH | URL | -") List<String> args = new ArrayList<>();

    @Override int execute() throws Exception {
        Main.requireArgs(args, 1, 1);
        if (iidFile != null) Files.deleteIfExists(Path.of(iidFile)); // no stale ID if this build fails
        Source source = source(args.getFirst(), cli.in);
        BuildOptions options = new BuildOptions(List.copyOf(tags), source.dockerfile(), quiet, noCache, rm || forceRm,
                forceRm, pull, buildArgs(buildArgs, cli.env), labels(labels), target, network, List.copyOf(addHosts),
                platform, List.copyOf(cacheFrom), source.remote(), null, Map.of(), secrets(secrets, cli.env));
        PrintStream out = quiet ? null : cli.out;
        AtomicReference<Throwable> writeFailure = new AtomicReference<>();
        CountingStream body = source.writer() == null ? null : new CountingStream(pipe(source.writer(), writeFailure));
        HttpResponse response;
        try {
            response = client().build(options, body);
        } finally {
            if (body != null) body.close();
        }
        if (writeFailure.get() != null) throw new Main.CliException("error sending the build context: " + writeFailure.get().getMessage());
        if (out != null && body != null) {
            out.println("Sending build context to Docker daemon " + String.format("%8s", Units.humanSize(body.count)));
            out.flush();
        }
        StringBuilder quietText = new StringBuilder();
        try (BuildDisplay display = new BuildDisplay(out == null ? new PrintStream(OutputStream.nullOutputStream()) : out,
                out != null && cli.stdoutTerminal, cli.clock)) {
            client().jsonLines(response, JsonNode.class, n -> {
                if (quiet && n.hasNonNull("stream")) quietText.append(n.get("stream").asText());
                display.accept(n);
            });
            display.close();
            if (display.error() != null) throw new Main.CliException(display.error(), display.errorCode());
            String id = quiet ? quietText.toString().strip() : display.imageId();
            if (quiet) {
                cli.out.println(id);
                cli.out.flush();
            }
            if (iidFile != null) {
                if (id == null || id.isEmpty()) throw new Main.CliException("Server did not provide an image ID. Cannot write " + iidFile);
                Files.writeString(Path.of(iidFile), id, StandardCharsets.UTF_8);
            }
        }
        return 0;
    }

    /** Where the context comes from: a tar writer (null for a remote context), the Dockerfile name, the URL. */
    record Source(ContextWriter writer, String dockerfile, String remote) {}

    /** Writes a context tar. */
    @FunctionalInterface
    interface ContextWriter {
        void write(OutputStream out) throws IOException;
    }

    /** The context of {@code arg} with this command's {@code -f}, as the docker CLI's runBuild chooses it. */
    Source source(String arg, InputStream stdin) throws IOException {
        boolean dockerfileFromStdin = "-".equals(file);
        if (arg.equals("-")) {
            if (dockerfileFromStdin) throw new Main.CliException("invalid argument: can't use stdin for both build context and dockerfile");
            BufferedInputStream in = new BufferedInputStream(stdin, 64 * 1024);
            in.mark(1024);
            byte[] head = in.readNBytes(512);
            in.reset();
            if (ContextArchive.isArchive(head)) return new Source(out -> in.transferTo(out), file, null);
            byte[] dockerfile = in.readAllBytes();
            return new Source(out -> ContextArchive.write(null, DockerIgnore.NONE, Map.of("Dockerfile", dockerfile), out),
                    "Dockerfile", null);
        }
        if (isUrl(arg)) {
            if (dockerfileFromStdin) throw new Main.CliException("unable to prepare context: a Dockerfile from stdin needs a local context directory");
            return new Source(null, file, arg);
        }
        Path dir = Path.of(arg).toAbsolutePath().normalize();
        if (!Files.exists(dir)) throw new Main.CliException("unable to prepare context: path \"" + arg + "\" not found");
        if (!Files.isDirectory(dir)) throw new Main.CliException("unable to prepare context: context must be a directory: " + dir);
        if (dockerfileFromStdin) {
            String name = ContextArchive.randomDockerfileName();
            Map<String, byte[]> added = ContextArchive.addedDockerfile(dir, name, stdin.readAllBytes());
            DockerIgnore excludes = ContextArchive.excludes(dir, null, null, true);
            return new Source(out -> ContextArchive.write(dir, excludes, added, out), name, null);
        }
        Path dockerfile = dockerfilePath(dir);
        Path rel = dir.relativize(dockerfile);
        if (rel.startsWith("..")) {
            String name = ContextArchive.randomDockerfileName();
            Map<String, byte[]> added = ContextArchive.addedDockerfile(dir, name, Files.readAllBytes(dockerfile));
            DockerIgnore excludes = ContextArchive.excludes(dir, dockerfile, null, true);
            return new Source(out -> ContextArchive.write(dir, excludes, added, out), name, null);
        }
        String relName = rel.toString().replace('\\', '/');
        DockerIgnore excludes = ContextArchive.excludes(dir, dockerfile, relName, false);
        return new Source(out -> ContextArchive.write(dir, excludes, Map.of(), out), relName, null);
    }

    /** {@code -f} (relative to the working directory, as the docker CLI) or {@code dir/Dockerfile} ({@code dockerfile} as a fallback). */
    private Path dockerfilePath(Path dir) {
        Path p;
        if (file == null || file.isEmpty()) {
            p = dir.resolve("Dockerfile");
            if (!Files.exists(p) && Files.exists(dir.resolve("dockerfile"))) p = dir.resolve("dockerfile");
        } else {
            p = Path.of(file).toAbsolutePath().normalize();
        }
        if (!Files.exists(p)) {
            throw new Main.CliException("unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat "
                    + p + ": no such file or directory");
        }
        return p;
    }

    static boolean isUrl(String s) {
        return s.startsWith("http://") || s.startsWith("https://") || s.startsWith("git://") || s.startsWith("git@")
                || s.startsWith("github.com/");
    }

    /** {@code --build-arg K=v}, or {@code K} alone: its value from the environment, unset (null) when it has none. */
    static Map<String, String> buildArgs(List<String> values, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq == 0 || v.isEmpty()) throw new Main.CliException("invalid argument \"" + v + "\" for \"--build-arg\" flag: invalid environment variable: " + v);
            if (eq > 0) out.put(v.substring(0, eq), v.substring(eq + 1));
            else out.put(v, env.get(v));
        }
        return out;
    }

    /** {@code --label K=v} ({@code K} alone: an empty value). */
    static Map<String, String> labels(List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq < 0) out.put(v, "");
            else out.put(v.substring(0, eq), v.substring(eq + 1));
        }
        return out;
    }

    /**
     * {@code --secret id=x[,src=path]}, {@code id=x,env=VAR} (BuildKit's forms; {@code source} for {@code src}, a
     * {@code type=file|env} accepted): ID → bytes. Without src or env, the file named like the ID, or the
     * environment variable of that name, as buildx does.
     */
    static Map<String, byte[]> secrets(List<String> values, Map<String, String> env) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String v : values) {
            String id = null, src = null, fromEnv = null, type = null;
            for (String field : v.split(",")) {
                int eq = field.indexOf('=');
                String k = eq < 0 ? field : field.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
                String val = eq < 0 ? "" : field.substring(eq + 1);
                switch (k) {
                    case "id" -> id = val;
                    case "src", "source" -> src = val;
                    case "env" -> fromEnv = val;
                    case "type" -> type = val;
                    default -> throw new Main.CliException("unexpected key '" + k + "' in '" + field + "'");
                }
            }
            if (type != null && !type.equals("file") && !type.equals("env")) throw new Main.CliException("unsupported secret type \"" + type + "\"");
            if ("env".equals(type) && fromEnv == null) fromEnv = src;
            if (id == null || id.isEmpty()) id = fromEnv != null ? fromEnv : src == null ? null : Path.of(src).getFileName().toString();
            if (id == null) throw new Main.CliException("invalid secret \"" + v + "\": no id");
            if (fromEnv == null && src == null) {
                if (env.containsKey(id) && !Files.exists(Path.of(id))) fromEnv = id;
                else src = id;
            }
            if (fromEnv != null) {
                String value = env.get(fromEnv);
                if (value == null) throw new Main.CliException("secret " + id + ": environment variable " + fromEnv + " is not set");
                out.put(id, value.getBytes(StandardCharsets.UTF_8));
            } else {
                Path p = Path.of(src);
                if (!Files.isRegularFile(p)) throw new Main.CliException("failed to stat " + src + ": no such file or directory");
                out.put(id, Files.readAllBytes(p));
            }
        }
        return out;
    }

    /** The tar {@code writer} makes, read as it is made (a virtual thread writes it); a failure is kept in {@code failure}. */
    private static InputStream pipe(ContextWriter writer, AtomicReference<Throwable> failure) throws IOException {
        PipedInputStream in = new PipedInputStream(256 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        Thread.ofVirtual().name("berth-build-context").start(() -> {
            try (out) {
                writer.write(out);
            } catch (IOException | RuntimeException e) {
                failure.set(e);
            }
        });
        return in;
    }

    /** Counts the bytes read through it (the context's size for "Sending build context"). */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) { super(in); }

        @Override public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
