package io.berth.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Minimal HTTP/1.1 client over a unix socket, for raw checks of status codes, headers and bodies. */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path socket;

    public Http(Path socket) {
        this.socket = socket;
    }

    /** A response; header names are lower-cased. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("body is not JSON: " + text(), e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    public Response get(String path) {
        return request("GET", path, Map.of(), null);
    }

    public Response request(String method, String path, Map<String, String> headers, byte[] body) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            StringBuilder req = new StringBuilder();
            req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            req.append("Host: localhost\r\nConnection: close\r\nUser-Agent: berth-it\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                req.append("Content-Length: ").append(body.length).append("\r\n");
            }
            req.append("\r\n");
            var out = Channels.newOutputStream(ch);
            try {
                out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException e) {
                // the server may answer (e.g. 400) and close before reading the whole body: read what it said
            }
            return read(new java.io.BufferedInputStream(Channels.newInputStream(ch), 65536), method.equals("HEAD"));
        } catch (IOException e) {
            throw new UncheckedIOException("HTTP " + method + " " + path + " over " + socket, e);
        }
    }

    /** True when the socket accepts a connection and answers GET /_ping with 200. */
    public boolean ping() {
        try {
            return get("/_ping").status() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String status = line(in);
        if (status == null || !status.startsWith("HTTP/1.")) {
            throw new IOException("bad status line: " + status);
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l; (l = line(in)) != null && !l.isEmpty(); ) {
            int i = l.indexOf(':');
            String name = l.substring(0, i).strip().toLowerCase(Locale.ROOT);
            String value = l.substring(i + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head || code == 204 || code == 304) {
            return new Response(code, headers, body.toByteArray());
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (;;) {
                String size = line(in);
                if (size == null) {
                    break;
                }
                int n = Integer.parseInt(size.split(";")[0].strip(), 16);
                if (n == 0) {
                    break;
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else {
            in.transferTo(body);
        }
        return new Response(code, headers, body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            b.write(c);
        }
        if (c == -1 && b.size() == 0) {
            return null;
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
