package io.berth.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.ApiVersion;
import io.berth.api.DetachKeys;
import io.berth.engine.service.ProcessStdio;
import io.berth.engine.service.StdStream;
import io.berth.server.RawHttp;
import io.berth.http.HttpServer;
import io.berth.http.Router;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StdioPumpTest {
    @TempDir Path dir;
    HttpServer server;
    final CompletableFuture<Boolean> detached = new CompletableFuture<>();

    @AfterEach void stop() {
        if (server != null) server.close();
    }

    /** A process like {@code cat}: greets on stderr, echoes its stdin on stdout, ends at end of stdin. */
    static final class Cat implements ProcessStdio {
        private static final byte[] END = new byte[0];
        private static final byte[] CLOSED = new byte[0];
        final boolean tty;
        final BlockingQueue<byte[]> echo = new LinkedBlockingQueue<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        volatile boolean stdinClosed;
        volatile boolean closed;

        Cat(boolean tty) { this.tty = tty; }

        @Override public boolean tty() { return tty; }

        @Override public boolean hasStdin() { return true; }

        @Override public void copyOutput(FrameSink sink) throws IOException {
            byte[] hi = "hi\n".getBytes(StandardCharsets.UTF_8);
            sink.frame(StdStream.STDERR, hi, 0, hi.length);
            try {
                for (byte[] b; (b = echo.take()) != END; ) {
                    if (b == CLOSED) return;
                    sink.frame(StdStream.STDOUT, b, 0, b.length);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            exit.complete(0);
        }

        @Override public OutputStream stdin() {
            return new OutputStream() {
                @Override public void write(int b) { write(new byte[] {(byte) b}, 0, 1); }

                @Override public void write(byte[] b, int off, int len) {
                    synchronized (received) {
                        received.write(b, off, len);
                    }
                    echo.add(java.util.Arrays.copyOfRange(b, off, off + len));
                }
            };
        }

        @Override public void closeStdin() {
            stdinClosed = true;
            echo.add(END);
        }

        @Override public void resize(int height, int width) { }

        @Override public CompletableFuture<Integer> exit() { return exit; }

        @Override public void close() {
            closed = true;
            echo.add(CLOSED);
        }

        String received() {
            synchronized (received) {
                return received.toString(StandardCharsets.UTF_8);
            }
        }
    }

    RawHttp serve(ProcessStdio stdio, Set<StdStream> streams, String detachKeys) throws IOException {
        return serve(stdio, streams, detachKeys, stdio.tty());
    }

    RawHttp serve(ProcessStdio stdio, Set<StdStream> streams, String detachKeys, boolean raw) throws IOException {
        Path sock = dir.resolve("api.sock");
        server = ApiRoutes.server(Router.builder().post("/pump", (req, res) ->
                detached.complete(new StdioPump(stdio, res.hijack(), streams, raw, DetachKeys.parse(detachKeys), "pump-test").run())).build());
        server.listen(UnixDomainSocketAddress.of(sock));
        RawHttp c = new RawHttp(sock);
        c.send("POST /pump HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
        assertThat(c.readHead().status()).isEqualTo(101);
        return c;
    }

    /** Docker's multiplexed frames, by stream, until end of stream. */
    static Map<Integer, String> demux(InputStream in) throws IOException {
        Map<Integer, ByteArrayOutputStream> out = new java.util.TreeMap<>();
        DataInputStream d = new DataInputStream(in);
        byte[] head = new byte[8];
        while (true) {
            try {
                d.readFully(head);
            } catch (EOFException e) {
                break;
            }
            byte[] data = d.readNBytes(((head[4] & 0xff) << 24) | ((head[5] & 0xff) << 16) | ((head[6] & 0xff) << 8) | (head[7] & 0xff));
            out.computeIfAbsent((int) head[0], k -> new ByteArrayOutputStream()).writeBytes(data);
        }
        Map<Integer, String> text = new java.util.TreeMap<>();
        out.forEach((k, v) -> text.put(k, v.toString(StandardCharsets.UTF_8)));
        return text;
    }

    @Test void multiplexesOutputAndEndOfInputClosesStdinThenTheConnection() throws Exception {
        Cat cat = new Cat(false);
        try (RawHttp c = serve(cat, EnumSet.allOf(StdStream.class), "")) {
            c.send("hello");
            c.channel.shutdownOutput();
            assertThat(demux(c.in)).containsExactly(Map.entry(1, "hello"), Map.entry(2, "hi\n"));
        }
        assertThat(detached.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(cat.stdinClosed).isTrue();
        assertThat(cat.closed).isTrue();
        assertThat(cat.received()).isEqualTo("hello");
    }

    @Test void ttyOutputIsRawAndTheDetachKeysEndTheSessionWithoutClosingStdin() throws Exception {
        Cat cat = new Cat(true);
        try (RawHttp c = serve(cat, EnumSet.allOf(StdStream.class), "ctrl-a,x")) {
            assertThat(new String(c.in.readNBytes(3), StandardCharsets.UTF_8)).isEqualTo("hi\n");
            c.send("ab\u0001c\u0001xzz");
            String rest = new String(c.in.readAllBytes(), StandardCharsets.UTF_8); // the connection is half-closed
            assertThat("ab\u0001c").startsWith(rest);
        }
        assertThat(detached.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(cat.received()).isEqualTo("ab\u0001c");
        assertThat(cat.stdinClosed).isFalse();
        assertThat(cat.closed).isTrue();
        assertThat(cat.exit()).isNotDone();
    }

    @Test void onlyTheStreamsAskedForArePumped() throws Exception {
        Cat cat = new Cat(false);
        try (RawHttp c = serve(cat, EnumSet.of(StdStream.STDOUT), "")) {
            cat.stdin().write("echoed".getBytes(StandardCharsets.UTF_8));
            cat.closeStdin();
            Map<Integer, String> got = demux(c.in);
            assertThat(got).containsExactly(Map.entry(1, "echoed"));
        }
        assertThat(detached.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(cat.received()).isEqualTo("echoed");
    }

    /** An exec made with a tty but started without {@code Tty} (docker-py's exec_start): framed, as moby frames it. */
    @Test void aTtyProcessPumpedUnrawIsFramed() throws Exception {
        Cat cat = new Cat(true);
        try (RawHttp c = serve(cat, EnumSet.allOf(StdStream.class), "", false)) {
            c.send("hello");
            c.channel.shutdownOutput();
            assertThat(demux(c.in)).containsExactly(Map.entry(1, "hello"), Map.entry(2, "hi\n"));
        }
        assertThat(detached.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test void framedStreamsSayItInTheirContentTypeFromApi142() {
        assertThat(StreamFrames.contentType(true, new ApiVersion(1, 41))).isEqualTo(StreamFrames.RAW_STREAM);
        assertThat(StreamFrames.contentType(true, new ApiVersion(1, 42))).isEqualTo(StreamFrames.MULTIPLEXED_STREAM);
        assertThat(StreamFrames.contentType(false, new ApiVersion(1, 47))).isEqualTo(StreamFrames.RAW_STREAM);
    }
}
