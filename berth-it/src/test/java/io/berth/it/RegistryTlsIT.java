package io.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.it.support.BerthDaemon;
import io.berth.it.support.BerthRegistry;
import io.berth.it.support.Cmd;
import io.berth.it.support.Dockerd;
import io.berth.it.support.Project;
import io.berth.it.support.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code berth registry serve --tls-cert --tls-key} with htpasswd: a certificate made here by openssl for 127.0.0.1;
 * skopeo verifying it against its CA (and refusing without it), the real docker CLI through berthd (its
 * {@code --registry-certs-dir} holding the CA) and through dockerd logging in, pushing and pulling over TLS, and a
 * plain-HTTP request to the TLS port refused.
 */
class RegistryTlsIT {
    static final Path DIR = tempDir();
    static final int PORT = BerthRegistry.freePort();

    @RegisterExtension
    static final BerthDaemon daemon = BerthDaemon.builder().arg("--registry-certs-dir", DIR.resolve("certs.d").toString()).build();
    static BerthRegistry registry;

    static Path tempDir() {
        try {
            return Files.createTempDirectory("berth-it-tls-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        Cmd.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", DIR.resolve("key.pem").toString(), "-out", DIR.resolve("cert.pem").toString(), "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1").run().ok();
        Path ca = Files.createDirectories(DIR.resolve("certs.d").resolve("127.0.0.1:" + PORT));
        Files.copy(DIR.resolve("cert.pem"), ca.resolve("ca.crt"));
        Path htpasswd = BerthRegistry.htpasswd(DIR, "alice", "alice-pw");
        registry = BerthRegistry.withArgs(PORT, List.of("--htpasswd", htpasswd.toString(),
                "--tls-cert", DIR.resolve("cert.pem").toString(), "--tls-key", DIR.resolve("key.pem").toString()));
    }

    @AfterAll
    static void stop() throws IOException {
        if (registry != null) registry.close();
        BerthDaemon.deleteTree(DIR);
    }

    @Test
    void skopeoVerifiesTheCertificateAndNeedsCredentials() {
        String dest = "docker://" + registry.host() + "/tls/skopeo:v1";
        String src = "docker-archive:" + Project.fixture("layers.docker-archive.tar");
        String certDir = DIR.resolve("certs.d").resolve("127.0.0.1:" + PORT).toString();
        Result unknownCa = RegistryInteropIT.skopeo("copy", "--quiet", "--dest-creds", "alice:alice-pw", src, dest);
        assertThat(unknownCa.exit()).as(unknownCa.toString()).isNotZero();
        assertThat(unknownCa.err()).contains("certificate");
        Result noCreds = RegistryInteropIT.skopeo("copy", "--quiet", "--dest-cert-dir", certDir, src, dest);
        assertThat(noCreds.exit()).as(noCreds.toString()).isNotZero();
        RegistryInteropIT.skopeo("copy", "--quiet", "--dest-cert-dir", certDir, "--dest-creds", "alice:alice-pw", src, dest).ok();
        String tags = RegistryInteropIT.skopeo("list-tags", "--cert-dir", certDir, "--creds", "alice:alice-pw",
                "docker://" + registry.host() + "/tls/skopeo").ok().out();
        assertThat(tags).contains("\"v1\"");
    }

    @Test
    void plainHttpToTheTlsPortIsRefused() {
        Result r = Cmd.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                "http://" + registry.host() + "/v2/").run();
        assertThat(r.exit() != 0 || !r.out().startsWith("2")).as(r.toString()).isTrue();
        Result tls = Cmd.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10", "--cacert",
                DIR.resolve("cert.pem").toString(), "https://" + registry.host() + "/v2/").run().ok();
        assertThat(tls.out()).isEqualTo("401");
    }

    @Test
    void dockerThroughBerthdOverTls() {
        RegistryInteropIT.loginRoundTrip(daemon.docker(), registry, "tls/berthd");
    }

    @Test
    void dockerThroughDockerdOverTls() {
        try (Dockerd dockerd = Dockerd.start()) {
            RegistryInteropIT.loginRoundTrip(dockerd.docker(), registry, "tls/dockerd");
        }
    }
}
