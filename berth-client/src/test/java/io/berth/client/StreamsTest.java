package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamsTest {
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void demultiplexesFrames() throws Exception {
        byte[] wire = concat(StreamDemux.frame(1, b("out1\n")), StreamDemux.frame(2, b("err\n")), StreamDemux.frame(0, b("in")),
                StreamDemux.frame(1, new byte[0]), StreamDemux.frame(1, b("x".repeat(70000))));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        // a stream that returns one byte at a time must work too
        InputStream slow = new java.io.FilterInputStream(new ByteArrayInputStream(wire)) {
            @Override public int read(byte[] buf, int off, int len) throws java.io.IOException { return super.read(buf, off, Math.min(len, 3)); }
        };
        long n = StreamDemux.copy(slow, out, err);
        assertThat(out.toString()).isEqualTo("out1\nin" + "x".repeat(70000));
        assertThat(err.toString()).isEqualTo("err\n");
        assertThat(n).isEqualTo(5 + 4 + 2 + 70000);
    }

    @Test
    void demuxErrorsAndTruncation() {
        byte[] sys = StreamDemux.frame(3, b("boom"));
        assertThatThrownBy(() -> StreamDemux.copy(new ByteArrayInputStream(sys), new ByteArrayOutputStream(), new ByteArrayOutputStream()))
                .hasMessage("error from daemon in stream: boom");
        byte[] bad = StreamDemux.frame(7, b("x"));
        assertThatThrownBy(() -> StreamDemux.copy(new ByteArrayInputStream(bad), new ByteArrayOutputStream(), new ByteArrayOutputStream()))
                .hasMessage("Unrecognized input header: 7");
        byte[] cut = java.util.Arrays.copyOf(StreamDemux.frame(1, b("hello")), 10);
        assertThatThrownBy(() -> StreamDemux.copy(new ByteArrayInputStream(cut), new ByteArrayOutputStream(), new ByteArrayOutputStream()))
                .isInstanceOf(java.io.EOFException.class);
    }

    @Test
    void hijackIsDuplexWithHalfClose() throws Exception {
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.hijack("application/vnd.docker.multiplexed-stream", (in, out) -> {
            byte[] stdin = in.readAllBytes(); // until the client half-closes
            out.write(StreamDemux.frame(1, stdin));
            out.write(StreamDemux.frame(2, b("done")));
        }))) {
            BerthClient c = new BerthClient(DaemonHost.parse(d.host()));
            try (HijackedConnection h = c.hijack("/containers/abc/attach", BerthClient.Query.of().flag("stream", true).flag("stdin", true), null)) {
                assertThat(h.multiplexed(true)).isTrue();
                h.output().write(b("hello"));
                h.closeWrite();
                ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
                StreamDemux.copy(h.input(), out, err);
                assertThat(out.toString()).isEqualTo("hello");
                assertThat(err.toString()).isEqualTo("done");
            }
            FakeDaemon.Request req = d.requests.getLast();
            assertThat(req.target()).isEqualTo("/v1.47/containers/abc/attach?stream=1&stdin=1");
            assertThat(req.headers()).containsEntry("Upgrade", "tcp").containsEntry("Connection", "Upgrade");
        }
    }

    @Test
    void hijackErrorIsApiException() throws Exception {
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.json(409, "{\"message\":\"container abc is not running\"}"))) {
            BerthClient c = new BerthClient(DaemonHost.parse(d.host()));
            assertThatThrownBy(() -> c.hijack("/exec/abc/start", null, b("{}"))).isInstanceOf(ApiException.class)
                    .hasMessage("container abc is not running");
        }
    }

    @Test
    void beginWritesBeforeAwait() throws Exception {
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.json(200, "{\"StatusCode\":3}"))) {
            BerthClient c = new BerthClient(DaemonHost.parse(d.host()));
            c.apiVersion();
            BerthClient.PendingResponse p = c.begin("POST", c.path("/containers/x/wait", BerthClient.Query.of().add("condition", "next-exit")), null, null);
            try (HttpResponse r = p.awaitOk()) {
                assertThat(new String(r.body().readAllBytes())).isEqualTo("{\"StatusCode\":3}");
            }
        }
    }
}
