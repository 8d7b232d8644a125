package io.berth.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A stand-in daemon for {@link AotTraining}: answers {@code GET} requests on a private unix socket with fixed JSON
 * bodies by path, one request per connection (as {@code BerthClient} sends them), so a training run exercises the
 * CLI's whole path — socket, HTTP codec, JSON, templates — with no berthd.
 */
final class CannedDaemon implements AutoCloseable {
    private final Path dir;
    private final ServerSocketChannel server;
    private final Map<String, String> bodies;
    private final Thread acceptor;

    /** Serves {@code bodies} (by path without the {@code /v1.NN} prefix and query); other paths get a 404. */
    CannedDaemon(Map<String, String> bodies) throws IOException {
        this.bodies = bodies;
        this.dir = Files.createTempDirectory("berth-training");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("d.sock")));
        this.acceptor = Thread.ofPlatform().daemon().name("canned-daemon").start(this::acceptLoop);
    }

    String host() { return "unix://" + dir.resolve("d.sock"); }

    private void acceptLoop() {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                answer(ch);
            } catch (IOException e) {
                if (!server.isOpen()) return;
            }
        }
    }

    private void answer(SocketChannel ch) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        if (requestLine == null) return;
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
            // headers are not needed: every canned answer is a GET's
        }
        String target = requestLine.split(" ")[1];
        String path = target.replaceFirst("^/v[0-9.]+/", "/").replaceFirst("\\?.*", "");
        String body = path.equals("/_ping") ? "OK" : bodies.get(path);
        int status = body == null ? 404 : 200;
        if (body == null) body = "{\"message\":\"page not found\"}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = Channels.newOutputStream(ch);
        out.write(("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\nApi-Version: 1.47\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
    }

    @Override public void close() throws IOException {
        server.close();
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(dir.resolve("d.sock"));
        Files.deleteIfExists(dir);
    }
}
