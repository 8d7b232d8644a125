package io.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HttpServer#listenTls} with a context from PEM files that openssl wrote (PKCS#8 and PKCS#1 keys). */
class TlsTest {
    @TempDir Path dir;

    @Test void servesOverTlsFromPemFiles() throws Exception {
        for (boolean pkcs1 : new boolean[] {false, true}) {
            Path cert = dir.resolve("cert" + pkcs1 + ".pem"), key = dir.resolve("key" + pkcs1 + ".pem");
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                    "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl req").isTrue();
            if (pkcs1) {
                Process c = new ProcessBuilder("openssl", "rsa", "-in", key.toString(), "-out", key.toString(), "-traditional")
                        .redirectErrorStream(true).start();
                c.getInputStream().readAllBytes();
                assertThat(c.waitFor(60, TimeUnit.SECONDS) && c.exitValue() == 0).as("openssl rsa").isTrue();
                assertThat(Files.readString(key)).contains("BEGIN RSA PRIVATE KEY");
            }
            Router router = Router.builder().get("/hello", (req, res) -> res.text(200, "hi")).build();
            try (HttpServer server = new HttpServer(router, new Headers(), new HttpServerTest.RegistryErrors(), new ObjectMapper())) {
                var addr = (InetSocketAddress) server.listenTls(new InetSocketAddress("127.0.0.1", 0), TlsContexts.fromPem(cert, key));
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                try (var in = Files.newInputStream(cert)) {
                    trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                HttpClient client = HttpClient.newBuilder().sslContext(ctx).build();
                for (int i = 0; i < 2; i++) { // the second request reuses the connection
                    var r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + addr.getPort() + "/hello")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo("hi");
                }
            }
        }
    }
}
