package io.berth.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A tiny HTTP/1.1 client over a unix socket that shows the wire as it is. */
public final class RawHttp implements AutoCloseable {
    public final SocketChannel channel;
    public final InputStream in;
    public final OutputStream out;

    public RawHttp(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        in = new BufferedInputStream(Channels.newInputStream(channel));
        out = Channels.newOutputStream(channel);
    }

    public record Reply(int status, Map<String, String> headers, byte[] body) {
        public String text() { return new String(body, StandardCharsets.UTF_8); }

        public String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
    }

    public RawHttp send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Sends a request with the usual headers and reads its reply. */
    public Reply exchange(String method, String target) throws IOException {
        send(method + " " + target + " HTTP/1.1\r\nHost: docker\r\n\r\n");
        return read(method.equals("HEAD"));
    }

    public Reply read() throws IOException { return read(false); }

    public Reply read(boolean head) throws IOException {
        Head h = readHead();
        byte[] body;
        if (head || h.status == 204 || h.status == 304 || h.status < 200) body = new byte[0];
        else if ("chunked".equalsIgnoreCase(h.headers.get("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                byte[] chunk = readChunk();
                if (chunk == null) break;
                b.write(chunk);
            }
            body = b.toByteArray();
        } else if (h.headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(h.headers.get("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new Reply(h.status, h.headers, body);
    }

    public record Head(int status, Map<String, String> headers) {}

    public Head readHead() throws IOException {
        String status = line();
        if (status == null) throw new IOException("connection closed before a response");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            int c = l.indexOf(':');
            headers.put(l.substring(0, c).toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
        }
        return new Head(Integer.parseInt(status.split(" ")[1]), headers);
    }

    /** One chunk of a chunked body, null at its end. */
    public byte[] readChunk() throws IOException {
        String size = line();
        int n = Integer.parseInt(size.trim(), 16);
        if (n == 0) {
            line();
            return null;
        }
        byte[] data = in.readNBytes(n);
        line();
        return data;
    }

    public String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') b.write(c);
        if (c < 0 && b.size() == 0) return null;
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override public void close() throws IOException { channel.close(); }
}
