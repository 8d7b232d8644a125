package io.berth.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A tiny HTTP/1.1 server on a temporary unix socket that answers with canned responses. */
public final class FakeDaemon implements AutoCloseable {
    public record Request(String method, String target, Map<String, String> headers, byte[] body) {
        public String path() { int q = target.indexOf('?'); return q < 0 ? target : target.substring(0, q); }
        public String query() { int q = target.indexOf('?'); return q < 0 ? "" : target.substring(q + 1); }
    }

    /** A response; {@code chunks} non-null means chunked transfer with those pieces. */
    public record Response(int status, String contentType, byte[] body, List<byte[]> chunks, Map<String, String> headers, Hijack hijack) {
        public Response(int status, String contentType, byte[] body, List<byte[]> chunks, Map<String, String> headers) {
            this(status, contentType, body, chunks, headers, null);
        }
        /** A {@code 101 UPGRADED} answer; then {@code h} owns the raw connection. */
        public static Response hijack(String contentType, Hijack h) {
            return new Response(101, contentType, new byte[0], null, Map.of(), h);
        }
        /** A hijack that writes {@code bytes} and closes. */
        public static Response hijack(String contentType, byte[] bytes) {
            return hijack(contentType, (in, out) -> out.write(bytes));
        }
        public static Response json(int status, String json) {
            return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8), null, Map.of());
        }
        public static Response chunked(String contentType, String... pieces) {
            return new Response(200, contentType, null, java.util.Arrays.stream(pieces).map(p -> p.getBytes(StandardCharsets.UTF_8)).toList(), Map.of());
        }
    }

    /** Serves a hijacked connection: reads the client's stdin from {@code in}, writes output to {@code out}. */
    public interface Hijack {
        void serve(InputStream in, OutputStream out) throws IOException;
    }

    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Function<Request, Response> handler;
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public volatile String apiVersion = "1.47";

    public FakeDaemon(Function<Request, Response> handler) throws IOException {
        this.handler = handler;
        this.dir = Files.createTempDirectory("fakedaemon");
        this.socket = dir.resolve("d.sock");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public String host() { return "unix://" + socket; }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                Thread.ofVirtual().start(() -> serve(ch));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            OutputStream out = Channels.newOutputStream(ch);
            String line = readLine(in);
            if (line == null) return;
            String[] parts = line.split(" ");
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            String h;
            while ((h = readLine(in)) != null && !h.isEmpty()) {
                int c = h.indexOf(':');
                headers.put(h.substring(0, c).trim(), h.substring(c + 1).trim());
            }
            byte[] body = new byte[0];
            if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                while (true) {
                    int size = Integer.parseInt(readLine(in).trim(), 16);
                    if (size == 0) { readLine(in); break; }
                    b.write(in.readNBytes(size));
                    readLine(in);
                }
                body = b.toByteArray();
            } else if (headers.containsKey("Content-Length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("Content-Length")));
            }
            Request req = new Request(parts[0], parts[1], headers, body);
            requests.add(req);
            Response r;
            if (req.path().equals("/_ping")) {
                r = new Response(200, "text/plain", "OK".getBytes(), null, Map.of("Api-Version", apiVersion));
            } else {
                r = handler.apply(req);
                if (r == null) r = Response.json(404, "{\"message\":\"page not found\"}");
            }
            if (r.hijack() != null) {
                out.write(("HTTP/1.1 101 UPGRADED\r\nContent-Type: " + r.contentType() + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                r.hijack().serve(in, out);
                out.flush();
                return;
            }
            StringBuilder head = new StringBuilder("HTTP/1.1 " + r.status() + " X\r\n");
            head.append("Content-Type: ").append(r.contentType()).append("\r\n");
            r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (r.chunks() != null) head.append("Transfer-Encoding: chunked\r\n");
            else head.append("Content-Length: ").append(r.body().length).append("\r\n");
            head.append("Connection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (r.chunks() != null) {
                for (byte[] c : r.chunks()) {
                    out.write((Integer.toHexString(c.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(c);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(r.body());
            }
            out.flush();
        } catch (IOException e) {
            // client went away
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') if (c != '\r') b.write(c);
        if (c == -1 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }
}
