/*
 * bench/RegistryLoad.java: a load generator for registry pulls, run as a single-file program:
 *   java bench/RegistryLoad.java BASE_URL REPO TAG CLIENTS SECONDS
 * CLIENTS virtual threads, each with a keep-alive HTTP/1.1 connection of its own, pull in a loop: GET the manifest by
 * tag (OCI and Docker Accept types) then GET the first layer blob it names. After a one-second warm-up it counts
 * complete pulls for SECONDS and prints "pulls/s requests/s errors p50_ms p99_ms" on one line.
 */

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class RegistryLoad {
    private static final String ACCEPT = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

    /** One keep-alive HTTP/1.1 connection: GET with Content-Length bodies (registries answer so for manifests and blobs). */
    static final class Conn implements AutoCloseable {
        private final String host;
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Conn(String host, int port) { this.host = host; this.port = port; }

        byte[] get(String path, String accept) throws IOException {
            if (socket == null) {
                socket = new Socket(host, port);
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream(), 65536);
                out = socket.getOutputStream();
            }
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: " + accept + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String status = line();
            long length = -1;
            boolean close = false;
            for (String h; !(h = line()).isEmpty(); ) {
                String lower = h.toLowerCase();
                if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
                if (lower.startsWith("connection:") && lower.contains("close")) close = true;
                if (lower.startsWith("transfer-encoding:")) throw new IOException("chunked answer: not supported here");
            }
            if (length < 0) throw new IOException("no Content-Length: " + status);
            byte[] body = in.readNBytes((int) length);
            if (body.length != length) throw new IOException("short body");
            if (close) close();
            if (!status.startsWith("HTTP/1.1 200")) throw new IOException(status + " for " + path);
            return body;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new IOException("connection closed");
                if (c != '\r') sb.append((char) c);
            }
            return sb.toString();
        }

        @Override public void close() {
            try {
                if (socket != null) socket.close();
            } catch (IOException ignored) {
                // closing
            }
            socket = null;
        }
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String repo = args[1];
        String tag = args[2];
        int clients = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        String manifestPath = "/v2/" + repo + "/manifests/" + tag;
        String manifest;
        try (Conn c = new Conn(base.getHost(), base.getPort())) {
            manifest = new String(c.get(manifestPath, ACCEPT), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("\"layers\"\\s*:\\s*\\[\\s*\\{[^}]*\"digest\"\\s*:\\s*\"([^\"]+)\"").matcher(manifest);
        if (!m.find()) throw new IllegalStateException("no layer in " + manifest);
        String blobPath = "/v2/" + repo + "/blobs/" + m.group(1);

        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong pulls = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            long[] lat = new long[1 << 16];
            latencies.add(lat);
            threads.add(Thread.ofVirtual().start(() -> {
                int n = 0;
                try (Conn c = new Conn(base.getHost(), base.getPort())) {
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        try {
                            c.get(manifestPath, ACCEPT);
                            c.get(blobPath, "*/*");
                        } catch (IOException e) {
                            if (counting.get()) errors.incrementAndGet();
                            c.close();
                            continue;
                        }
                        if (counting.get()) {
                            pulls.incrementAndGet();
                            if (n < lat.length) lat[n++] = System.nanoTime() - t0;
                        }
                    }
                }
                lat[lat.length - 1] = n;
            }));
        }
        Thread.sleep(1000);
        counting.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        counting.set(false);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long done = pulls.get();
        stop.set(true);
        for (Thread t : threads) t.join();
        long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 0, (int) Math.min(l[l.length - 1], l.length - 1))).sorted().toArray();
        double p50 = all.length == 0 ? 0 : all[all.length / 2] / 1e6;
        double p99 = all.length == 0 ? 0 : all[(int) (all.length * 0.99)] / 1e6;
        System.out.printf("%.0f %.0f %d %.2f %.2f%n", done / elapsed, 2 * done / elapsed, errors.get(), p50, p99);
    }
}
