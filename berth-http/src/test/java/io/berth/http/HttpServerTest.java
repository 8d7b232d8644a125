package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server and the client side of the codec against each other, with a front's own error body. */
class HttpServerTest {
    /** An OCI-registry-like front: {@code {"errors":[…]}} bodies, and NDJSON streams end with an error line. */
    static final class RegistryErrors implements ErrorRenderer {
        @Override public HttpError render(Throwable failure) {
            int status = failure instanceof HttpProtocolException e ? e.status() : 500;
            String body = "{\"errors\":[{\"code\":\"" + (status == 404 ? "NAME_UNKNOWN" : "UNKNOWN") + "\",\"message\":\""
                    + failure.getMessage() + "\"}]}";
            return new HttpError(status, failure.getMessage(), "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        @Override public byte[] streamTrailer(HttpError error, String contentType) {
            return contentType.equals("application/x-ndjson") ? ("{\"error\":\"" + error.message() + "\"}\n").getBytes(StandardCharsets.UTF_8) : null;
        }
    }

    @TempDir Path dir;
    Path sock;
    HttpServer server;

    @BeforeEach void start() throws Exception {
        sock = dir.resolve("http.sock");
        Router router = Router.builder()
                .get("/v2/{name:.*}/tags/list", (q, r) -> r.json(200, java.util.Map.of("name", q.param("name"))))
                .put("/echo", (q, r) -> r.send(201, "application/octet-stream", q.body().readAllBytes()))
                .get("/stream", (q, r) -> {
                    OutputStream out = r.stream(200, q.query("type"));
                    out.write("{\"n\":1}\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    throw new IllegalStateException("broken");
                })
                .build();
        server = new HttpServer(router, new Headers().add("Docker-Distribution-Api-Version", "registry/2.0"),
                new RegistryErrors(), new ObjectMapper());
        server.listen(UnixDomainSocketAddress.of(sock));
    }

    @AfterEach void stop() { server.close(); }

    record Reply(HttpCodec.ResponseHead head, String body) {}

    Reply exchange(String method, String target, InputStream body) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            OutputStream out = Channels.newOutputStream(ch);
            Headers h = new Headers().set("Host", "localhost");
            if (body != null) h.set("Transfer-Encoding", "chunked");
            HttpCodec.writeRequestHead(out, method, target, h);
            if (body != null) HttpCodec.writeChunked(out, body);
            out.flush();
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            HttpCodec.ResponseHead head = HttpCodec.readResponseHead(in);
            return new Reply(head, new String(HttpCodec.responseBody(head, method, in).readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test void routesWithCommonHeadersAndTheServersJson() throws Exception {
        Reply r = exchange("GET", "/v2/a/b/tags/list", null);
        assertThat(r.head().status()).isEqualTo(200);
        assertThat(r.head().headers().get("docker-distribution-api-version")).isEqualTo("registry/2.0");
        assertThat(r.body()).isEqualTo("{\"name\":\"a/b\"}\n");
    }

    @Test void chunkedRequestBodiesRoundTrip() throws Exception {
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) ('a' + i % 26);
        Reply r = exchange("PUT", "/echo", new ByteArrayInputStream(big));
        assertThat(r.head().status()).isEqualTo(201);
        assertThat(r.head().headers().get("Content-Length")).isEqualTo("100000");
        assertThat(r.body()).isEqualTo(new String(big, StandardCharsets.UTF_8));
    }

    @Test void failuresGetTheFrontsErrorBody() throws Exception {
        Reply r = exchange("GET", "/v2/nothing", null);
        assertThat(r.head().status()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"page not found\"}]}");
    }

    @Test void startedStreamsEndWithTheFrontsTrailerOrAreCut() throws Exception {
        Reply ndjson = exchange("GET", "/stream?type=application/x-ndjson", null);
        assertThat(ndjson.head().status()).isEqualTo(200);
        assertThat(ndjson.body()).isEqualTo("{\"n\":1}\n{\"error\":\"broken\"}\n");
        // a stream that cannot carry the error is cut: the chunked body never ends
        assertThatThrownBy(() -> exchange("GET", "/stream?type=text/plain", null)).isInstanceOf(java.io.EOFException.class);
    }

    @Test void responseHeadsSkipContinueAndBodiesFollowTheirFraming() throws Exception {
        InputStream in = new ByteArrayInputStream(("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                + "X-A: 1\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        HttpCodec.ResponseHead ok = HttpCodec.readResponseHead(in);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.reason()).isEqualTo("OK");
        assertThat(ok.headers().get("x-a")).isEqualTo("1");
        assertThat(HttpCodec.responseBody(ok, "GET", in).readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("abc");
        HttpCodec.ResponseHead none = HttpCodec.readResponseHead(in);
        assertThat(none.status()).isEqualTo(204);
        assertThat(HttpCodec.responseBody(none, "GET", in).read()).isEqualTo(-1);
    }
}
