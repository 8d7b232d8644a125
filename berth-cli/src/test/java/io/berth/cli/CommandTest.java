package io.berth.cli;

import io.berth.client.FakeDaemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CommandTest {
    record Result(int code, String out, String err) {}

    static final long NOW = 1_700_000_000L;

    static Result run(FakeDaemon d, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        String[] full = new String[args.length + 2];
        full[0] = "-H";
        full[1] = d == null ? "unix:///nonexistent/berth.sock" : d.host();
        System.arraycopy(args, 0, full, 2, args.length);
        int code = Main.runWithClock(full, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(),
                Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static FakeDaemon daemon(Function<FakeDaemon.Request, FakeDaemon.Response> h) throws Exception { return new FakeDaemon(h); }

    static final String IMAGES = """
            [{"Id":"sha256:ec95d0b0a8b7f3d8e2e6c9b2e3a1f0b6d3c2a1e0f9b8c7d6e5f4a3b2c1d0e9f8","ParentId":"",
              "RepoTags":["busybox:latest","example.com/team/app:1.0"],"RepoDigests":[],"Created":%d,"Size":4263129,
              "SharedSize":-1,"VirtualSize":4263129,"Labels":{},"Containers":-1},
             {"Id":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","ParentId":"",
              "RepoTags":[],"RepoDigests":[],"Created":%d,"Size":0,"SharedSize":-1,"VirtualSize":0,"Labels":{},"Containers":-1}]
            """.formatted(NOW - 7200, NOW - 86400 * 21);

    @Test
    void imagesTable() throws Exception {
        try (FakeDaemon d = daemon(r -> FakeDaemon.Response.json(200, IMAGES))) {
            Result r = run(d, "", "images");
            assertThat(r.err()).isEmpty();
            assertThat(r.code()).isZero();
            assertThat(r.out()).isEqualTo("""
                    REPOSITORY             TAG       IMAGE ID       CREATED       SIZE
                    busybox                latest    ec95d0b0a8b7   2 hours ago   4.26MB
                    example.com/team/app   1.0       ec95d0b0a8b7   2 hours ago   4.26MB
                    <none>                 <none>    0123456789ab   3 weeks ago   0B
                    """);
            assertThat(d.requests.getLast().target()).isEqualTo("/v1.47/images/json");
        }
    }

    @Test
    void imagesQuietFormatAndFilters() throws Exception {
        try (FakeDaemon d = daemon(r -> FakeDaemon.Response.json(200, IMAGES))) {
            assertThat(run(d, "", "images", "-q").out()).isEqualTo("ec95d0b0a8b7\nec95d0b0a8b7\n0123456789ab\n");
            assertThat(run(d, "", "image", "ls", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}").out())
                    .isEqualTo("busybox:latest 4.26MB\nexample.com/team/app:1.0 4.26MB\n<none>:<none> 0B\n");
            assertThat(run(d, "", "images", "--format", "table {{.ID}}\\t{{.Containers}}", "--no-trunc").out()).startsWith(
                    "IMAGE ID                                                                  CONTAINERS\n"
                            + "sha256:ec95d0b0a8b7f3d8e2e6c9b2e3a1f0b6d3c2a1e0f9b8c7d6e5f4a3b2c1d0e9f8   N/A\n");
            run(d, "", "images", "-a", "-f", "dangling=true", "busybox");
            assertThat(java.net.URLDecoder.decode(d.requests.getLast().query(), StandardCharsets.UTF_8))
                    .isEqualTo("all=1&filters={\"dangling\":[\"true\"],\"reference\":[\"busybox\"]}");
        }
    }

    @Test
    void usageErrorsLikeDocker() throws Exception {
        Result r = run(null, "", "images", "--bogus");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("unknown flag: --bogus\n\nUsage:  berth images [OPTIONS] [REPOSITORY[:TAG]]\n\n"
                + "Run 'berth images --help' for more information\n");
        r = run(null, "", "tag", "a");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("berth: 'berth tag' requires 2 arguments\n");
    }

    @Test
    void daemonErrorsAndMissingSocket() throws Exception {
        Result r = run(null, "", "images");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Cannot connect to the Berth daemon at unix:///nonexistent/berth.sock. Is the berth daemon running?\n");
        try (FakeDaemon d = daemon(q -> FakeDaemon.Response.json(404, "{\"message\":\"No such image: foo:latest\"}"))) {
            r = run(d, "", "rmi", "foo");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("Error response from daemon: No such image: foo:latest\n");
            r = run(d, "", "image", "inspect", "foo");
            assertThat(r.out()).isEqualTo("[]\n");
            assertThat(r.err()).isEqualTo("Error response from daemon: No such image: foo:latest\n");
        }
    }

    @Test
    void inspectIndentsAndFormats() throws Exception {
        String raw = "{\"Id\":\"sha256:abc\",\"RepoTags\":[\"busybox:latest\"],\"RepoDigests\":[],\"Size\":4263129,"
                + "\"Config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"],\"Labels\":{}}}";
        try (FakeDaemon d = daemon(q -> FakeDaemon.Response.json(200, raw))) {
            assertThat(run(d, "", "inspect", "busybox").out()).isEqualTo("""
                    [
                        {
                            "Id": "sha256:abc",
                            "RepoTags": [
                                "busybox:latest"
                            ],
                            "RepoDigests": [],
                            "Size": 4263129,
                            "Config": {
                                "Env": [
                                    "PATH=/bin"
                                ],
                                "Cmd": [
                                    "sh"
                                ],
                                "Labels": {}
                            }
                        }
                    ]
                    """);
            assertThat(run(d, "", "image", "inspect", "-f", "{{.Id}} {{.Size}} {{.Config.Env}} {{json .Config.Cmd}}", "busybox").out())
                    .isEqualTo("sha256:abc 4263129 [PATH=/bin] [\"sh\"]\n");
        }
    }

    @Test
    void rmiPrintsUntaggedAndDeleted() throws Exception {
        try (FakeDaemon d = daemon(q -> FakeDaemon.Response.json(200, "[{\"Untagged\":\"busybox:latest\"},{\"Deleted\":\"sha256:abc\"}]"))) {
            Result r = run(d, "", "rmi", "-f", "busybox");
            assertThat(r.out()).isEqualTo("Untagged: busybox:latest\nDeleted: sha256:abc\n");
            assertThat(d.requests.getLast().target()).isEqualTo("/v1.47/images/busybox?force=1");
        }
    }

    @Test
    void historyTable() throws Exception {
        String json = "[{\"Id\":\"sha256:ec95d0b0a8b7f3d8e2e6c9b2e3a1f0b6d3c2a1e0f9b8c7d6e5f4a3b2c1d0e9f8\",\"Created\":%d,"
                .formatted(NOW - 3600 * 5) + "\"CreatedBy\":\"/bin/sh -c #(nop)  CMD [\\\"sh\\\"] and a very long tail of text\",\"Tags\":[\"busybox:latest\"],\"Size\":0,\"Comment\":\"\"},"
                + "{\"Id\":\"<missing>\",\"Created\":%d,\"CreatedBy\":\"/bin/sh -c #(nop) ADD file:abc in /\",\"Tags\":null,\"Size\":4263129,\"Comment\":\"imported\"}]"
                .formatted(NOW - 3600 * 5);
        try (FakeDaemon d = daemon(q -> FakeDaemon.Response.json(200, json))) {
            assertThat(run(d, "", "history", "busybox").out()).isEqualTo("""
                    IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT
                    ec95d0b0a8b7   5 hours ago   /bin/sh -c #(nop)  CMD ["sh"] and a very lon…   0B       \s
                    <missing>      5 hours ago   /bin/sh -c #(nop) ADD file:abc in /             4.26MB    imported
                    """);
        }
    }

    @Test
    void loadImportSaveAndTag() throws Exception {
        try (FakeDaemon d = daemon(q -> switch (q.path()) {
            case "/v1.47/images/load" -> FakeDaemon.Response.chunked("application/json",
                    "{\"stream\":\"Loaded image: busybox:latest\\n\"}\n", "{\"stream\":\"Loaded image ID: sha256:abc\\n\"}\n");
            case "/v1.47/images/create" -> FakeDaemon.Response.chunked("application/json", "{\"status\":\"sha256:def\"}\r\n");
            case "/v1.47/images/get" -> new FakeDaemon.Response(200, "application/x-tar", "TARDATA".getBytes(), null, Map.of());
            case "/v1.47/images/busybox/tag" -> new FakeDaemon.Response(201, "text/plain", new byte[0], null, Map.of());
            default -> null;
        })) {
            Result r = run(d, "tar-bytes", "load");
            assertThat(r.out()).isEqualTo("Loaded image: busybox:latest\nLoaded image ID: sha256:abc\n");
            assertThat(new String(d.requests.getLast().body())).isEqualTo("tar-bytes");
            r = run(d, "tar", "import", "-c", "CMD [\"sh\"]", "-m", "hi", "-", "myimg:v1");
            assertThat(r.out()).isEqualTo("sha256:def\n");
            assertThat(java.net.URLDecoder.decode(d.requests.getLast().query(), StandardCharsets.UTF_8))
                    .isEqualTo("fromSrc=-&repo=myimg&tag=v1&message=hi&changes=CMD [\"sh\"]");
            assertThat(run(d, "", "save", "busybox").out()).isEqualTo("TARDATA");
            r = run(d, "", "tag", "busybox", "me/bb:2");
            assertThat(r.code()).isZero();
            assertThat(java.net.URLDecoder.decode(d.requests.getLast().query(), StandardCharsets.UTF_8)).isEqualTo("repo=docker.io/me/bb&tag=2");
        }
    }

    @Test
    void pruneConfirmsAndReports() throws Exception {
        try (FakeDaemon d = daemon(q -> FakeDaemon.Response.json(200,
                "{\"ImagesDeleted\":[{\"Untagged\":\"a:1\"},{\"Deleted\":\"sha256:abc\"}],\"SpaceReclaimed\":4263129}"))) {
            Result r = run(d, "n\n", "image", "prune");
            assertThat(r.out()).isEqualTo("WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ");
            assertThat(d.requests).noneMatch(q -> q.path().endsWith("/prune"));
            r = run(d, "", "image", "prune", "-f");
            assertThat(r.out()).isEqualTo("Deleted Images:\nuntagged: a:1\ndeleted: sha256:abc\n\nTotal reclaimed space: 4.263MB\n");
        }
    }

    @Test
    void eventsDefaultFormat() throws Exception {
        try (FakeDaemon d = daemon(q -> FakeDaemon.Response.chunked("application/json",
                "{\"Type\":\"image\",\"Action\":\"tag\",\"Actor\":{\"ID\":\"sha256:abc\",\"Attributes\":{\"name\":\"busybox:latest\"}},"
                        + "\"scope\":\"local\",\"time\":1704067200,\"timeNano\":1704067200000000000}\n"))) {
            Result r = run(d, "", "events", "--since", "0");
            assertThat(r.out()).isEqualTo("2024-01-01T00:00:00.000000000Z image tag sha256:abc (name=busybox:latest)\n");
            r = run(d, "", "events", "--format", "{{.Type}} {{.Actor.ID}} {{index .Actor.Attributes \"name\"}}");
            assertThat(r.out()).isEqualTo("image sha256:abc busybox:latest\n");
        }
    }

    @Test
    void systemDf() throws Exception {
        try (FakeDaemon d = daemon(q -> FakeDaemon.Response.json(200, "{\"LayersSize\":4263129,\"Images\":" + IMAGES + "}"))) {
            assertThat(run(d, "", "system", "df").out()).isEqualTo("""
                    TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE
                    Images          2         0         4.263MB   4.263MB (100%)
                    Containers      0         0         0B        0B
                    Local Volumes   0         0         0B        0B
                    Build Cache     0         0         0B        0B
                    """);
        }
    }

    @Test
    void tagNormalizesTheTargetAndRefusesBadReferencesOnOneLine() throws Exception {
        try (FakeDaemon d = daemon(r -> FakeDaemon.Response.json(201, ""))) {
            String id = "ec95d0b0a8b7f3d8e2e6c9b2e3a1f0b6d3c2a1e0f9b8c7d6e5f4a3b2c1d0e9f8";
            Result ok = run(d, "", "tag", id, "team/app:1.0");
            assertThat(ok.err()).isEmpty();
            assertThat(ok.code()).isZero();
            assertThat(d.requests.getLast().target()).isEqualTo("/v1.47/images/" + id + "/tag?repo=docker.io%2Fteam%2Fapp&tag=1.0");
            Result upper = run(d, "", "tag", "busybox", "team/App");
            assertThat(upper.code()).isEqualTo(1);
            assertThat(upper.err()).isEqualTo("Error parsing reference: \"team/App\" is not a valid repository/tag: "
                    + "invalid reference format: repository name (team/App) must be lowercase\n");
            Result digest = run(d, "", "tag", "busybox", "app@sha256:" + id);
            assertThat(digest.err()).isEqualTo("refusing to create a tag with a digest reference\n");
            Result bad = run(d, "", "commit", "c1", "a:b:c");
            assertThat(bad.code()).isEqualTo(1);
            assertThat(bad.err()).isEqualTo("invalid reference format\n");
        }
    }
}
