package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry over TLS whose CA comes from the certs directory ({@code <certsDir>/<host:port>/ca.crt}), and one that
 * requires a client certificate ({@code client.cert} + {@code client.key}); certificates made with the JDK's keytool.
 */
class RegistryTlsTest {
    private static final char[] PASS = "changeit".toCharArray();
    private static final RegistryTransport.RetryPolicy ONCE = new RegistryTransport.RetryPolicy(1, Duration.ofMillis(10));

    @TempDir static Path dir;

    @BeforeAll static void certificates() throws Exception {
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", dir.resolve("server.p12").toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=berth-client",
                "-validity", "2", "-keystore", dir.resolve("client.p12").toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static KeyStore load(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name))) {
            ks.load(in, PASS);
        }
        return ks;
    }

    private static SSLContext serverContext(boolean trustClient) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load("server.p12"), PASS);
        TrustManagerFactory tmf = null;
        if (trustClient) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("client", load("client.p12").getCertificate("client"));
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static HttpRegistryClient client(Path certs) {
        return new HttpRegistryClient(RegistryOptions.defaults(certs), false, ONCE, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    @Test void caFromTheCertsDirectory() throws Exception {
        try (FakeRegistryServer registry = FakeRegistryServer.https(new HttpsConfigurator(serverContext(false)))) {
            byte[] body = "{\"schemaVersion\":2}".getBytes();
            Digest d = registry.putManifest("app", "v1", MediaTypes.OCI_MANIFEST, body);
            Path certs = dir.resolve("certs-ca");
            Path hostDir = Files.createDirectories(certs.resolve(registry.host()));
            Files.writeString(hostDir.resolve("ca.crt"), pem("CERTIFICATE", load("server.p12").getCertificate("server").getEncoded()));
            Reference ref = Reference.parse(registry.host() + "/app");
            assertThat(client(certs).open(ref, AuthConfig.NONE, false).manifest("v1").orElseThrow().digest()).isEqualTo(d);

            assertThatThrownBy(() -> client(dir.resolve("no-certs")).open(ref, AuthConfig.NONE, false).manifest("v1"))
                    .isInstanceOf(BerthException.Unavailable.class).hasMessageStartingWith("Get \"https://" + registry.host() + "/v2/\": ");
        }
    }

    @Test void clientCertificateFromTheCertsDirectory() throws Exception {
        SSLContext tls = serverContext(true);
        HttpsConfigurator needClientAuth = new HttpsConfigurator(tls) {
            @Override public void configure(HttpsParameters params) {
                params.setNeedClientAuth(true);
            }
        };
        try (FakeRegistryServer registry = FakeRegistryServer.https(needClientAuth)) {
            byte[] body = "{\"schemaVersion\":2}".getBytes();
            registry.putManifest("app", "v1", MediaTypes.OCI_MANIFEST, body);
            Path certs = dir.resolve("certs-client");
            Path hostDir = Files.createDirectories(certs.resolve(registry.host()));
            KeyStore client = load("client.p12");
            Certificate cert = client.getCertificate("client");
            Files.writeString(hostDir.resolve("ca.crt"), pem("CERTIFICATE", load("server.p12").getCertificate("server").getEncoded()));
            Files.writeString(hostDir.resolve("client.cert"), pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(hostDir.resolve("client.key"), pem("PRIVATE KEY", client.getKey("client", PASS).getEncoded()));
            Reference ref = Reference.parse(registry.host() + "/app");
            assertThat(client(certs).open(ref, AuthConfig.NONE, false).manifest("v1")).isPresent();

            Path onlyCa = Files.createDirectories(dir.resolve("certs-only-ca").resolve(registry.host()));
            Files.copy(hostDir.resolve("ca.crt"), onlyCa.resolve("ca.crt"));
            assertThatThrownBy(() -> client(dir.resolve("certs-only-ca")).open(ref, AuthConfig.NONE, false).manifest("v1"))
                    .isInstanceOf(BerthException.Unavailable.class);
        }
    }

    @Test void pkcs1RsaKeysAreRead() throws Exception {
        byte[] pkcs8 = load("client.p12").getKey("client", PASS).getEncoded();
        // PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier (15 bytes), OCTET STRING { RSAPrivateKey } }
        int at = 4 + 3 + 15;
        int len = pkcs8[at + 1] == (byte) 0x82 ? ((pkcs8[at + 2] & 0xff) << 8 | (pkcs8[at + 3] & 0xff)) : pkcs8[at + 1] & 0xff;
        int header = pkcs8[at + 1] == (byte) 0x82 ? 4 : 2;
        byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, at + header, at + header + len);
        assertThat(RegistryTls.privateKey(pem("RSA PRIVATE KEY", pkcs1)).getEncoded()).isEqualTo(pkcs8);
    }
}
