package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpCodecTest {
    static InputStream in(String s) { return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)); }

    @Test void parsesRequestLineAndHeaders() throws Exception {
        InputStream in = in("\r\nPOST /v1.47/images/load?quiet=1 HTTP/1.1\r\nHost: docker\r\nContent-Length: 3\r\nX-A: 1\r\nx-a:  2 \r\n\r\nabcNEXT");
        HttpCodec.RequestHead h = HttpCodec.readRequestHead(in);
        assertThat(h.method()).isEqualTo("POST");
        assertThat(h.target()).isEqualTo("/v1.47/images/load?quiet=1");
        assertThat(h.http11()).isTrue();
        assertThat(h.headers().all("X-A")).containsExactly("1", "2");
        assertThat(HttpCodec.requestBody(h, in).readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("abc");
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("NEXT");
    }

    @Test void cleanEndOfStreamIsNull() throws Exception {
        assertThat(HttpCodec.readRequestHead(in(""))).isNull();
        assertThatThrownBy(() -> HttpCodec.readRequestHead(in("GET / HTTP/1.1\r\nHost: x\r\n"))).isInstanceOf(EOFException.class);
    }

    @Test void decodesChunkedBodiesWithExtensionsAndTrailers() throws Exception {
        InputStream in = in("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nTrailer: x\r\n\r\nREST");
        HttpCodec.RequestHead h = HttpCodec.readRequestHead(in);
        assertThat(new String(HttpCodec.requestBody(h, in).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("REST");
    }

    @Test void rejectsBadFraming() throws Exception {
        InputStream a = in("POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n");
        HttpCodec.RequestHead ha = HttpCodec.readRequestHead(a);
        assertThatThrownBy(() -> HttpCodec.requestBody(ha, a)).isInstanceOf(HttpProtocolException.class).hasMessageContaining("Content-Length");
        InputStream b = in("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n");
        HttpCodec.RequestHead hb = HttpCodec.readRequestHead(b);
        assertThatThrownBy(() -> HttpCodec.requestBody(hb, b)).isInstanceOf(HttpProtocolException.class);
        InputStream c = in("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        HttpCodec.RequestHead hc = HttpCodec.readRequestHead(c);
        assertThatThrownBy(() -> HttpCodec.requestBody(hc, c).readAllBytes()).isInstanceOf(HttpProtocolException.class);
        InputStream d = in("POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort");
        HttpCodec.RequestHead hd = HttpCodec.readRequestHead(d);
        assertThatThrownBy(() -> HttpCodec.requestBody(hd, d).readAllBytes()).isInstanceOf(EOFException.class);
    }

    @Test void enforcesLimits() {
        assertThatThrownBy(() -> HttpCodec.readRequestHead(in("GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n")))
                .isInstanceOfSatisfying(HttpProtocolException.class, e -> assertThat(e.status()).isEqualTo(431));
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i <= HttpCodec.MAX_HEADERS; i++) many.append("H").append(i).append(": v\r\n");
        assertThatThrownBy(() -> HttpCodec.readRequestHead(in(many + "\r\n")))
                .isInstanceOfSatisfying(HttpProtocolException.class, e -> assertThat(e.status()).isEqualTo(431));
        StringBuilder big = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 20; i++) big.append("H").append(i).append(": ").append("v".repeat(4000)).append("\r\n");
        assertThatThrownBy(() -> HttpCodec.readRequestHead(in(big + "\r\n")))
                .isInstanceOfSatisfying(HttpProtocolException.class, e -> assertThat(e.status()).isEqualTo(431));
        assertThatThrownBy(() -> HttpCodec.readRequestHead(in("GET / HTTP/2.0\r\n\r\n")))
                .isInstanceOfSatisfying(HttpProtocolException.class, e -> assertThat(e.status()).isEqualTo(505));
        assertThatThrownBy(() -> HttpCodec.readRequestHead(in("GET / HTTP/1.1\r\n folded\r\n\r\n")))
                .isInstanceOfSatisfying(HttpProtocolException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test void chunkedOutputSendsEachFlushAsAChunk() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        HttpCodec.ChunkedOutputStream out = new HttpCodec.ChunkedOutputStream(wire);
        out.write("abc".getBytes(StandardCharsets.UTF_8));
        assertThat(wire.size()).isZero();
        out.flush();
        assertThat(wire.toString(StandardCharsets.UTF_8)).isEqualTo("3\r\nabc\r\n");
        out.flush(); // nothing new: no empty chunk (that would end the body)
        out.write(new byte[20000]);
        out.close();
        String s = wire.toString(StandardCharsets.ISO_8859_1);
        assertThat(s).startsWith("3\r\nabc\r\n4e20\r\n").endsWith("\r\n0\r\n\r\n");
    }

    @Test void queryAndPathDecoding() {
        assertThat(Request.decodePath("/images/a%2Fb:1/json")).isEqualTo("/images/a/b:1/json");
        assertThat(Request.parseQuery("names=a&names=b%3A1&x=a+b&flag")).containsEntry("names", java.util.List.of("a", "b:1"))
                .containsEntry("x", java.util.List.of("a b")).containsEntry("flag", java.util.List.of(""));
        assertThatThrownBy(() -> Request.decodePath("/a%zz")).isInstanceOf(HttpProtocolException.class);
    }
}
