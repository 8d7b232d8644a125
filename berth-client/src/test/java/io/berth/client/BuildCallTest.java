package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.build.BuildSecretsHeader;
import io.berth.api.registry.AuthConfig;
import io.berth.api.registry.RegistryAuthHeader;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link BerthClient#build}: the query, the headers and the context body as {@code POST /build} takes them. */
class BuildCallTest {
    @Test void sendsParametersHeadersAndTheContext() throws Exception {
        try (FakeDaemon d = new FakeDaemon(r -> FakeDaemon.Response.chunked("application/json",
                "{\"stream\":\"Successfully built 0123456789ab\\n\"}\r\n"))) {
            BerthClient c = new BerthClient(DaemonHost.parse(d.host()));
            Map<String, String> args = new LinkedHashMap<>();
            args.put("A", "1");
            args.put("B", null);
            var o = new BuildOptions(List.of("a:1", "b"), "Dockerfile.dev", true, true, true, false, true, args,
                    Map.of("l", "v"), "t1", "none", List.of("h:1.2.3.4"), "linux/amd64", List.of("c:1"), null, "id1",
                    Map.of("localhost:5000", new AuthConfig("u", "p", null, null, null, null, null)),
                    Map.of("tok", new byte[] {1, 2}));
            try (HttpResponse r = c.build(o, new ByteArrayInputStream("TAR".getBytes(StandardCharsets.UTF_8)))) {
                assertThat(new String(r.readAllBytes(), StandardCharsets.UTF_8)).contains("Successfully built");
            }
            FakeDaemon.Request req = d.requests.getLast();
            assertThat(req.path()).isEqualTo("/v1.47/build");
            assertThat(URLDecoder.decode(req.query(), StandardCharsets.UTF_8)).isEqualTo("t=a:1&t=b&dockerfile=Dockerfile.dev&q=1"
                    + "&nocache=1&rm=1&pull=1&target=t1&networkmode=none&extrahosts=h:1.2.3.4&platform=linux/amd64"
                    + "&buildid=id1&version=1&buildargs={\"A\":\"1\",\"B\":null}&labels={\"l\":\"v\"}&cachefrom=[\"c:1\"]");
            assertThat(new String(req.body(), StandardCharsets.UTF_8)).isEqualTo("TAR");
            assertThat(RegistryAuthHeader.decodeConfigLeniently(header(req, "X-Registry-Config")).get("localhost:5000").username())
                    .isEqualTo("u");
            assertThat(BuildSecretsHeader.decode(header(req, BuildSecretsHeader.NAME)).get("tok")).containsExactly(1, 2);
            assertThat(header(req, "Content-Type")).isEqualTo("application/x-tar");
        }
    }

    private static String header(FakeDaemon.Request r, String name) {
        return r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
