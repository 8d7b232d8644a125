package io.berth.engine.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.api.errors.BerthException;
import io.berth.api.registry.AuthConfig;
import io.berth.engine.testing.Requirements;
import io.berth.oci.Descriptor;
import io.berth.oci.Digest;
import io.berth.oci.MediaTypes;
import io.berth.oci.Reference;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against Debian's real {@code docker-registry} (distribution 2.8) on loopback with htpasswd (bcrypt)
 * auth: login, push of a blob and a manifest, and reading them back.
 */
class DistributionRegistryTest {
    private static final Path REGISTRY = Path.of("/usr/bin/docker-registry");
    private static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");

    @TempDir static Path dir;
    private static Process process;
    private static String host;

    @BeforeAll static void start() throws Exception {
        Requirements.require(Files.isExecutable(REGISTRY) && Files.isExecutable(HTPASSWD),
                "Debian's docker-registry and apache2-utils' htpasswd are installed");
        Process hash = new ProcessBuilder(HTPASSWD.toString(), "-Bbn", "alice", "s3cret").start();
        String line = new String(hash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(hash.waitFor()).isZero();
        Files.writeString(dir.resolve("htpasswd"), line + "\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        host = "127.0.0.1:" + port;
        Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: %s
                auth:
                  htpasswd:
                    realm: berth-test
                    path: %s
                """.formatted(dir.resolve("data"), host, dir.resolve("htpasswd")));
        process = new ProcessBuilder(REGISTRY.toString(), "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).start();
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) if (l.contains("listening on")) listening.complete(null);
                listening.completeExceptionally(new IOException("docker-registry exited"));
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
        });
        listening.get(30, TimeUnit.SECONDS);
    }

    @AfterAll static void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }

    private static AuthConfig alice(String password) {
        return new AuthConfig("alice", password, null, null, host, null, null);
    }

    @Test void loginSucceedsAndFailsAsDocker() {
        HttpRegistryClient client = new HttpRegistryClient(RegistryOptions.defaults(dir.resolve("certs.d")));
        assertThat(client.login(alice("s3cret"))).isEmpty();
        assertThatThrownBy(() -> client.login(alice("wrong"))).isInstanceOf(BerthException.Unauthorized.class)
                .hasMessage("login attempt to http://" + host + "/v2/ failed with status: 401 Unauthorized");
    }

    @Test void pushAndReadBack() throws IOException {
        HttpRegistryClient client = new HttpRegistryClient(RegistryOptions.defaults(dir.resolve("certs.d")));
        Reference repo = Reference.parse(host + "/team/app");
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes();
        byte[] layer = new byte[300_000];
        for (int i = 0; i < layer.length; i++) layer[i] = (byte) (i * 31);
        Descriptor configDesc = new Descriptor(MediaTypes.OCI_CONFIG, Digest.of(config), config.length);
        Descriptor layerDesc = new Descriptor(MediaTypes.OCI_LAYER, Digest.of(layer), layer.length);

        RepositorySession push = client.open(repo, alice("s3cret"), true);
        assertThat(push.exists(layerDesc.digestValue())).isFalse();
        push.upload(configDesc, () -> new ByteArrayInputStream(config));
        push.upload(layerDesc, () -> new ByteArrayInputStream(layer));
        assertThat(push.exists(layerDesc.digestValue())).isTrue();
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"%s","digest":"%s","size":%d},\
                "layers":[{"mediaType":"%s","digest":"%s","size":%d}]}""".formatted(MediaTypes.OCI_MANIFEST,
                MediaTypes.OCI_CONFIG, configDesc.digest(), config.length, MediaTypes.OCI_LAYER, layerDesc.digest(), layer.length);
        byte[] body = manifest.getBytes(StandardCharsets.UTF_8);
        assertThat(push.putManifest("v1", MediaTypes.OCI_MANIFEST, body)).isEqualTo(Digest.of(body));

        RepositorySession pull = client.open(repo, alice("s3cret"), false);
        FetchedManifest fetched = pull.manifest("v1").orElseThrow();
        assertThat(fetched.body()).isEqualTo(body);
        assertThat(fetched.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(pull.manifest(Digest.of(body).toString())).isPresent();
        assertThat(pull.resolve("v1")).contains(Digest.of(body));
        try (InputStream in = pull.blob(layerDesc, 0)) {
            assertThat(in.readAllBytes()).isEqualTo(layer);
        }
        try (InputStream in = pull.blob(layerDesc, 100_000)) {
            assertThat(in.readAllBytes()).hasSize(200_000);
        }
        assertThat(pull.tags()).containsExactly("v1");
        assertThat(pull.manifest("missing")).isEmpty();

        RepositorySession other = client.open(Reference.parse(host + "/other/app"), alice("s3cret"), true);
        assertThat(other.mount(layerDesc.digestValue(), "team/app")).isTrue();
        assertThat(other.exists(layerDesc.digestValue())).isTrue();

        HttpRegistryClient chunking = new HttpRegistryClient(RegistryOptions.defaults(dir.resolve("certs.d")), true,
                RegistryTransport.RetryPolicy.DEFAULT, 64_000, java.time.Duration.ofSeconds(15), java.time.Duration.ofSeconds(15));
        byte[] chunked = java.util.Arrays.copyOf(layer, 250_001);
        Descriptor chunkedDesc = new Descriptor(MediaTypes.OCI_LAYER, Digest.of(chunked), chunked.length);
        chunking.open(repo, alice("s3cret"), true).upload(chunkedDesc, () -> new ByteArrayInputStream(chunked));
        try (InputStream in = pull.blob(chunkedDesc, 0)) {
            assertThat(in.readAllBytes()).isEqualTo(chunked);
        }

        RepositorySession anonymous = client.open(repo, AuthConfig.NONE, false);
        assertThatThrownBy(() -> anonymous.manifest("v1")).isInstanceOf(BerthException.Unauthorized.class)
                .hasMessage("Get \"http://" + host + "/v2/team/app/manifests/v1\": no basic auth credentials");
    }
}
