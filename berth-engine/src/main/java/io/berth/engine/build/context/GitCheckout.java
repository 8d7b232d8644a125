package io.berth.engine.build.context;

import io.berth.api.errors.BerthException;
import io.berth.engine.archive.ScopedPath;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A git build context, as moby's {@code remotecontext/git}: {@code URL[#ref[:subdir]]} fetched with the {@code git}
 * binary ({@code init}, {@code remote add origin}, {@code fetch --depth 1 origin -- <ref>} — not shallow from a dumb
 * HTTP server —, {@code checkout <ref>} or {@code FETCH_HEAD}, submodules), with the system and user git
 * configuration ignored and {@code file://} submodules refused. Without a ref the remote's HEAD is fetched (moby
 * asks for {@code master}, which fails on repositories whose default branch has another name).
 */
final class GitCheckout {
    /** The parts of a git remote: the repository, the ref to check out (null: HEAD) and the context subdirectory. */
    record GitRemote(String remote, String ref, String subdir) {
        static GitRemote parse(String url) {
            if (!url.startsWith("git@") && !hasScheme(url, "git", "http", "https", "ssh")) url = "https://" + url;
            String remote, fragment = "";
            int hash = url.indexOf('#');
            if (hash >= 0) {
                fragment = url.substring(hash + 1);
                remote = url.substring(0, hash);
            } else {
                remote = url;
            }
            int colon = fragment.indexOf(':');
            String ref = colon >= 0 ? fragment.substring(0, colon) : fragment;
            String subdir = colon >= 0 ? fragment.substring(colon + 1) : "";
            if (ref.startsWith("-")) throw new BerthException.InvalidArgument("invalid refspec: " + ref);
            return new GitRemote(remote, ref.isEmpty() ? null : ref, subdir);
        }

        private static boolean hasScheme(String url, String... schemes) {
            try {
                String s = new URI(url).getScheme();
                for (String x : schemes) if (x.equalsIgnoreCase(s)) return true;
            } catch (URISyntaxException e) {
                return false;
            }
            return false;
        }
    }

    private final HttpClient http;

    GitCheckout(HttpClient http) { this.http = http; }

    /** Checks {@code url} out into the empty directory {@code dir}; returns the context root (dir or its subdir). */
    Path checkout(String url, Path dir) throws IOException {
        GitRemote repo = GitRemote.parse(url);
        String ref = repo.ref() == null ? "HEAD" : repo.ref();
        git(dir, "failed to init repo at " + dir, "init", "-q");
        git(dir, "failed add origin repo at " + repo.remote(), "remote", "add", "origin", repo.remote());
        List<String> fetch = new ArrayList<>(List.of("fetch"));
        if (shallow(repo.remote())) fetch.addAll(List.of("--depth", "1"));
        fetch.addAll(List.of("origin", "--", ref));
        git(dir, "error fetching", fetch.toArray(String[]::new));
        Result co = run(dir, "checkout", ref);
        if (co.code != 0 && run(dir, "checkout", "FETCH_HEAD").code != 0) {
            throw new BerthException.InvalidArgument("error checking out " + ref + ": " + co.output + ": exit status " + co.code);
        }
        git(dir, "error initializing submodules", "submodule", "update", "--init", "--recursive", "--depth=1");
        if (repo.subdir().isEmpty()) return dir;
        Path sub = ScopedPath.host(dir, ScopedPath.follow(dir, repo.subdir()));
        if (!Files.exists(sub)) {
            throw new BerthException.InvalidArgument("stat " + sub + ": no such file or directory");
        }
        if (!Files.isDirectory(sub)) {
            throw new BerthException.InvalidArgument("error setting git context, not a directory: " + sub);
        }
        return sub;
    }

    /** Whether the remote takes a shallow fetch: any non-HTTP transport, or a smart HTTP server. */
    private boolean shallow(String remote) {
        if (!RemoteUrls.isUrl(remote)) return true;
        URI probe = URI.create(remote + "/info/refs?service=git-upload-pack");
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(probe).GET().timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 && r.headers().firstValue("Content-Type")
                    .orElse("").equals("application/x-git-upload-pack-advertisement");
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Result(int code, String output) {}

    private static void git(Path dir, String failure, String... args) throws IOException {
        Result r = run(dir, args);
        if (r.code != 0) throw new BerthException.InvalidArgument(failure + ": " + r.output + ": exit status " + r.code);
    }

    private static Result run(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "protocol.file.allow=never"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GIT_PROTOCOL_FROM_USER", "0"); // no unsafe transports chosen by the repository
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("HOME", "/dev/null");
        env.put("GIT_TERMINAL_PROMPT", "0");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            return new Result(p.waitFor(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running git", e);
        }
    }
}
