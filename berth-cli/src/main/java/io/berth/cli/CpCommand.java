package io.berth.cli;

import io.berth.client.ApiException;
import io.berth.client.BerthClient.Query;
import io.berth.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cp}: copies between a container ({@code GET/PUT/HEAD /containers/{id}/archive}) and the local file system or a tar on stdio. */
@Command(description = "Copy files/folders between a container and the local filesystem")
final class CpCommand extends BaseCommand {
    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information)") boolean archive;
    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH") boolean followLink;
    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output during copy") boolean quiet;
    @Parameters(arity = "0..*") List<String> args = new ArrayList<>();

    /** {@code container:path}, or a local path (container null). */
    record Spec(String container, String path) {
        static Spec parse(String arg) {
            if (arg.startsWith("/") || arg.startsWith(".") || arg.equals("-")) return new Spec(null, arg);
            int colon = arg.indexOf(':');
            if (colon <= 0) return new Spec(null, arg);
            return new Spec(arg.substring(0, colon), arg.substring(colon + 1));
        }
    }

    @Override int execute() throws Exception {
        Main.requireArgs(args, 2, 2);
        Spec src = Spec.parse(args.get(0)), dst = Spec.parse(args.get(1));
        if (src.container() == null && dst.container() == null) throw new Main.CliException("must specify at least one container source");
        if (src.container() != null && dst.container() != null) throw new Main.CliException("copying between containers is not supported");
        if (src.path().isEmpty() || dst.path().isEmpty()) throw new Main.CliException("filepath cannot be empty");
        return src.container() != null ? fromContainer(src, dst.path()) : toContainer(src.path(), dst);
    }

    private int fromContainer(Spec src, String dest) throws IOException {
        Query q = Query.of().add("path", src.path());
        try (InputStream tar = client().stream("GET", "/containers/" + src.container() + "/archive", q)) {
            if (dest.equals("-")) {
                tar.transferTo(cli.out);
                cli.out.flush();
                return 0;
            }
            Path target = Path.of(dest).toAbsolutePath();
            String srcBase = baseName(src.path());
            if (Files.isDirectory(target) && !src.path().endsWith("/.")) {
                Tar.extract(tar, target, n -> n);
            } else if (Files.isDirectory(target)) { // "dir/." copies the contents
                Tar.extract(tar, target, n -> stripFirst(n));
            } else {
                if (dest.endsWith("/")) throw new Main.CliException("destination \"" + dest + "\" must be a directory");
                Path parent = target.getParent();
                if (!Files.isDirectory(parent)) throw new Main.CliException("no such directory: \"" + parent + "\"");
                String newBase = target.getFileName().toString();
                Tar.extract(tar, parent, n -> {
                    String first = n.contains("/") ? n.substring(0, n.indexOf('/')) : n;
                    return first.equals(srcBase) ? newBase + n.substring(first.length()) : n;
                });
            }
        } catch (ApiException e) {
            if (e.status() == 404) throw new Main.CliException(e.displayMessage());
            throw e;
        }
        if (!quiet && cli.stderrTerminal()) cli.err.println("Successfully copied to " + dest);
        return 0;
    }

    private static String stripFirst(String n) {
        int slash = n.indexOf('/');
        return slash < 0 ? "." : n.substring(slash + 1);
    }

    static String baseName(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) s = s.substring(0, s.length() - 1);
        if (s.endsWith("/.")) s = s.substring(0, s.length() - 2);
        int slash = s.lastIndexOf('/');
        return slash < 0 ? s : s.substring(slash + 1);
    }

    private int toContainer(String srcPath, Spec dst) throws Exception {
        String container = dst.container();
        if (srcPath.equals("-")) {
            putArchive(container, dst.path(), cli.in);
            return 0;
        }
        Path src = Path.of(srcPath).toAbsolutePath();
        if (!Files.exists(src, java.nio.file.LinkOption.NOFOLLOW_LINKS))
            throw new Main.CliException("lstat " + src + ": no such file or directory");
        if (followLink) src = src.toRealPath();
        // where does it go: stat the destination
        boolean destIsDir = false, destExists = false;
        try (HttpResponse r = client().call("HEAD", "/containers/" + container + "/archive", Query.of().add("path", dst.path()), null, null)) {
            destExists = true;
            String stat = r.header("X-Docker-Container-Path-Stat");
            if (stat != null) {
                var node = RunCommands.readJson(java.util.Base64.getDecoder().decode(stat));
                destIsDir = (node.path("mode").asLong() & (1L << 31)) != 0;
            }
        } catch (ApiException e) {
            if (e.status() != 404) throw e;
        }
        String putPath, name;
        if (destExists && destIsDir) {
            putPath = dst.path();
            name = srcPath.endsWith("/.") ? "." : src.getFileName().toString();
        } else {
            if (!destExists && dst.path().endsWith("/") && !Files.isDirectory(src))
                throw new Main.CliException("destination \"" + container + ":" + dst.path() + "\" must be a directory");
            if (destExists && Files.isDirectory(src)) throw new Main.CliException("cannot copy directory");
            String d = dst.path();
            while (d.length() > 1 && d.endsWith("/")) d = d.substring(0, d.length() - 1);
            int slash = d.lastIndexOf('/');
            putPath = slash <= 0 ? (slash == 0 ? "/" : ".") : d.substring(0, slash);
            name = d.substring(slash + 1);
        }
        PipedInputStream in = new PipedInputStream(64 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        Path source = src;
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream o = out) {
                Tar.write(source, name, o);
            } catch (IOException e) {
                // the reader side reports a short stream
            }
        });
        try {
            putArchive(container, putPath, in);
        } finally {
            writer.join();
        }
        if (!quiet && cli.stderrTerminal()) cli.err.println("Successfully copied to " + container + ":" + dst.path());
        return 0;
    }

    private void putArchive(String container, String path, InputStream tar) throws IOException {
        try (HttpResponse r = client().call("PUT", "/containers/" + container + "/archive",
                Query.of().add("path", path).add("noOverwriteDirNonDir", "true").flag("copyUIDGID", archive),
                Map.of("Content-Type", "application/x-tar"), tar)) {
            r.body().readAllBytes();
        }
    }
}
