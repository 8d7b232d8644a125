package io.berth.engine.build.context;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A git repository (one commit of the given files on {@code main}, tagged {@code v1}) served read-only over dumb HTTP on loopback. */
final class GitRepoServer implements AutoCloseable {
    private final HttpServer server;
    private final String url;

    GitRepoServer(Path dir, Map<String, String> files) throws IOException, InterruptedException {
        Path work = Files.createDirectories(dir.resolve("work"));
        git(work, "init", "-q", "-b", "main");
        for (var f : files.entrySet()) {
            Path p = work.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        git(work, "add", ".");
        git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one");
        git(work, "tag", "v1");
        Path srv = dir.resolve("srv");
        git(dir, "clone", "-q", "--bare", work.toString(), srv.resolve("repo.git").toString());
        git(srv.resolve("repo.git"), "update-server-info");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            Path f = srv.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            if (!f.startsWith(srv) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
            } else {
                byte[] b = Files.readAllBytes(f);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            }
            ex.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
    }

    /** The repository's URL, ending in {@code .git}. */
    String url() { return url; }

    @Override
    public void close() { server.stop(0); }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
