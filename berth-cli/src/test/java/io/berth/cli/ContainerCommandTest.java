package io.berth.cli;

import io.berth.client.FakeDaemon;

import static io.berth.cli.CommandTest.NOW;
import static io.berth.cli.CommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.api.Json;
import io.berth.client.StreamDemux;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerCommandTest {
    static final String ID = "4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2";
    static final String MUX = "application/vnd.docker.multiplexed-stream";

    static FakeDaemon.Response json(String s) { return FakeDaemon.Response.json(200, s); }

    static FakeDaemon.Response empty(int status) { return new FakeDaemon.Response(status, "text/plain", new byte[0], null, Map.of()); }

    static String query(FakeDaemon.Request r) { return URLDecoder.decode(r.query(), StandardCharsets.UTF_8); }

    static JsonNode body(FakeDaemon.Request r) throws Exception { return Json.wire().readTree(r.body()); }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    static List<String> paths(FakeDaemon d) {
        return d.requests.stream().filter(r -> !r.path().equals("/_ping")).map(r -> r.method() + " " + r.path()).toList();
    }

    @Test
    void runAttachesBeforeStartAndExitsWithStatus() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> switch (r.path()) {
            case "/v1.47/containers/create" -> FakeDaemon.Response.json(201, "{\"Id\":\"" + ID + "\",\"Warnings\":[\"be careful\"]}");
            case "/v1.47/containers/" + ID + "/attach" -> FakeDaemon.Response.hijack(MUX,
                    concat(StreamDemux.frame(1, b("hello\n")), StreamDemux.frame(2, b("oops\n"))));
            case "/v1.47/containers/" + ID + "/wait" -> json("{\"StatusCode\":3,\"Error\":null}");
            case "/v1.47/containers/" + ID + "/start" -> empty(204);
            default -> null;
        })) {
            CommandTest.Result res = run(d, "", "run", "--name", "web", "-e", "A=1", "-l", "k=v", "--memory", "64m", "--cpus", "1.5",
                    "--ulimit", "nofile=1024:2048", "--restart", "on-failure:3", "-p", "8080:80", "-v", "/data", "-v", "/h:/c:ro",
                    "--entrypoint", "/bin/sh", "--init", "--pids-limit", "10", "busybox", "-c", "echo hello");
            assertThat(res.out()).isEqualTo("hello\n");
            assertThat(res.err()).isEqualTo("WARNING: be careful\noops\n");
            assertThat(res.code()).isEqualTo(3);
            assertThat(paths(d)).containsExactly("POST /v1.47/containers/create", "POST /v1.47/containers/" + ID + "/attach",
                    "POST /v1.47/containers/" + ID + "/wait", "POST /v1.47/containers/" + ID + "/start");
            FakeDaemon.Request create = d.requests.stream().filter(r -> r.path().endsWith("/create")).findFirst().orElseThrow();
            assertThat(query(create)).isEqualTo("name=web");
            JsonNode c = body(create);
            assertThat(c.path("Image").asText()).isEqualTo("busybox");
            assertThat(c.path("Cmd").toString()).isEqualTo("[\"-c\",\"echo hello\"]");
            assertThat(c.path("Entrypoint").toString()).isEqualTo("[\"/bin/sh\"]");
            assertThat(c.path("Env").toString()).isEqualTo("[\"A=1\"]");
            assertThat(c.path("Labels").toString()).isEqualTo("{\"k\":\"v\"}");
            assertThat(c.path("AttachStdout").asBoolean()).isTrue();
            assertThat(c.path("AttachStdin").asBoolean()).isFalse();
            assertThat(c.path("ExposedPorts").toString()).isEqualTo("{\"80/tcp\":{}}");
            assertThat(c.path("Volumes").toString()).isEqualTo("{\"/data\":{}}");
            JsonNode h = c.path("HostConfig");
            assertThat(h.path("Memory").asLong()).isEqualTo(64L << 20);
            assertThat(h.path("NanoCpus").asLong()).isEqualTo(1_500_000_000L);
            assertThat(h.path("Ulimits").toString()).isEqualTo("[{\"Name\":\"nofile\",\"Hard\":2048,\"Soft\":1024}]");
            assertThat(h.path("RestartPolicy").toString()).isEqualTo("{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}");
            assertThat(h.path("PortBindings").toString()).isEqualTo("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}");
            assertThat(h.path("Binds").toString()).isEqualTo("[\"/h:/c:ro\"]");
            assertThat(h.path("Init").asBoolean()).isTrue();
            assertThat(h.path("PidsLimit").asLong()).isEqualTo(10);
            FakeDaemon.Request attach = d.requests.stream().filter(r -> r.path().endsWith("/attach")).findFirst().orElseThrow();
            assertThat(query(attach)).isEqualTo("stream=1&stdout=1&stderr=1");
            assertThat(attach.headers()).containsEntry("Upgrade", "tcp");
            FakeDaemon.Request wait = d.requests.stream().filter(r -> r.path().endsWith("/wait")).findFirst().orElseThrow();
            assertThat(query(wait)).isEqualTo("condition=next-exit");
        }
    }

    @Test
    void runInteractiveSendsStdinAndHalfCloses() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> switch (r.path()) {
            case "/v1.47/containers/create" -> FakeDaemon.Response.json(201, "{\"Id\":\"" + ID + "\",\"Warnings\":[]}");
            case "/v1.47/containers/" + ID + "/attach" -> FakeDaemon.Response.hijack(MUX, (in, out) -> {
                byte[] got = in.readAllBytes();
                out.write(StreamDemux.frame(1, got));
            });
            case "/v1.47/containers/" + ID + "/wait" -> json("{\"StatusCode\":0}");
            case "/v1.47/containers/" + ID + "/start" -> empty(204);
            default -> null;
        })) {
            CommandTest.Result res = run(d, "some input\n", "run", "-i", "--rm", "busybox", "cat");
            assertThat(res.out()).isEqualTo("some input\n");
            assertThat(res.code()).isZero();
            FakeDaemon.Request attach = d.requests.stream().filter(r -> r.path().endsWith("/attach")).findFirst().orElseThrow();
            assertThat(query(attach)).isEqualTo("stream=1&stdin=1&stdout=1&stderr=1");
            FakeDaemon.Request wait = d.requests.stream().filter(r -> r.path().endsWith("/wait")).findFirst().orElseThrow();
            assertThat(query(wait)).isEqualTo("condition=removed");
            JsonNode c = body(d.requests.stream().filter(r -> r.path().endsWith("/create")).findFirst().orElseThrow());
            assertThat(c.path("OpenStdin").asBoolean()).isTrue();
            assertThat(c.path("StdinOnce").asBoolean()).isTrue();
            assertThat(c.path("HostConfig").path("AutoRemove").asBoolean()).isTrue();
        }
    }

    @Test
    void runDetachedPrintsId() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> switch (r.path()) {
            case "/v1.47/containers/create" -> FakeDaemon.Response.json(201, "{\"Id\":\"" + ID + "\",\"Warnings\":[]}");
            case "/v1.47/containers/" + ID + "/wait" -> json("{\"StatusCode\":0}");
            case "/v1.47/containers/" + ID + "/start" -> empty(204);
            default -> null;
        })) {
            CommandTest.Result res = run(d, "", "run", "-d", "busybox", "sleep", "10");
            assertThat(res.out()).isEqualTo(ID + "\n");
            assertThat(res.code()).isZero();
            assertThat(paths(d)).doesNotContain("POST /v1.47/containers/" + ID + "/attach").contains("POST /v1.47/containers/" + ID + "/start");
        }
    }

    @Test
    void runMissingImageTriesPullThenFails125() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> switch (r.path()) {
            case "/v1.47/containers/create" -> FakeDaemon.Response.json(404, "{\"message\":\"No such image: nope:latest\"}");
            case "/v1.47/images/create" -> FakeDaemon.Response.json(404, "{\"message\":\"pull access denied for nope, repository does not exist\"}");
            default -> null;
        })) {
            CommandTest.Result res = run(d, "", "run", "nope");
            assertThat(res.code()).isEqualTo(125);
            assertThat(res.err()).isEqualTo("Unable to find image 'nope:latest' locally\n"
                    + "berth: Error response from daemon: pull access denied for nope, repository does not exist\n\n"
                    + "Run 'berth run --help' for more information\n");
            FakeDaemon.Request pull = d.requests.stream().filter(r -> r.path().endsWith("/images/create")).findFirst().orElseThrow();
            assertThat(query(pull)).isEqualTo("fromImage=docker.io/library/nope&tag=latest");
        }
    }

    @Test
    void runStartErrorsMapToExitCodes() throws Exception {
        for (var c : Map.of("exec: \"nope\": executable file not found in $PATH", 127, "exec /etc: permission denied", 126, "something else", 125).entrySet()) {
            try (FakeDaemon d = CommandTest.daemon(r -> switch (r.path()) {
                case "/v1.47/containers/create" -> FakeDaemon.Response.json(201, "{\"Id\":\"" + ID + "\",\"Warnings\":[]}");
                case "/v1.47/containers/" + ID + "/wait" -> json("{\"StatusCode\":0}");
                case "/v1.47/containers/" + ID + "/start" -> FakeDaemon.Response.json(400, "{\"message\":" + Json.wire().valueToTree(c.getKey()) + "}");
                default -> null;
            })) {
                CommandTest.Result res = run(d, "", "run", "-d", "busybox", "nope");
                assertThat(res.code()).isEqualTo(c.getValue());
                assertThat(res.err()).isEqualTo("berth: Error response from daemon: " + c.getKey() + "\n");
            }
        }
    }

    @Test
    void runFlagErrorsLikeDocker() {
        CommandTest.Result r = run(null, "", "run", "--memory", "abc", "busybox");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("invalid argument \"abc\" for \"-m, --memory\" flag: invalid size: 'abc'\n\n"
                + "Usage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'berth run --help' for more information\n");
        r = run(null, "", "run", "--ulimit", "nofile", "busybox");
        assertThat(r.err()).startsWith("invalid argument \"nofile\" for \"--ulimit\" flag: invalid ulimit argument: nofile\n");
        r = run(null, "", "run", "--restart", "on-failure:x", "busybox");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("berth: invalid restart policy format: maximum retry count must be an integer\n\n"
                + "Run 'berth run --help' for more information\n");
        r = run(null, "", "run", "--rm", "--restart", "always", "busybox");
        assertThat(r.err()).startsWith("berth: conflicting options: cannot specify both --restart and --rm\n");
        r = run(null, "", "run", "-p", "abc", "busybox");
        assertThat(r.err()).startsWith("berth: invalid containerPort: abc\n");
        r = run(null, "", "run", "-it", "busybox");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("the input device is not a TTY\n");
        r = run(null, "", "run");
        assertThat(r.err()).startsWith("berth: 'berth run' requires at least 1 argument\n");
    }

    @Test
    void execRunsAndReturnsExitCode() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> switch (r.path()) {
            case "/v1.47/containers/web/exec" -> FakeDaemon.Response.json(201, "{\"Id\":\"e1\"}");
            case "/v1.47/exec/e1/start" -> FakeDaemon.Response.hijack("application/vnd.docker.raw-stream", b("raw out\n"));
            case "/v1.47/exec/e1/json" -> json("{\"ExitCode\":7,\"Running\":false}");
            default -> null;
        })) {
            CommandTest.Result res = run(d, "", "exec", "-e", "X=1", "-w", "/tmp", "-u", "nobody", "web", "sh", "-c", "exit 7");
            assertThat(res.out()).isEqualTo("raw out\n");
            assertThat(res.code()).isEqualTo(7);
            JsonNode c = body(d.requests.stream().filter(r -> r.path().endsWith("/web/exec")).findFirst().orElseThrow());
            assertThat(c.path("Cmd").toString()).isEqualTo("[\"sh\",\"-c\",\"exit 7\"]");
            assertThat(c.path("Env").toString()).isEqualTo("[\"X=1\"]");
            assertThat(c.path("WorkingDir").asText()).isEqualTo("/tmp");
            assertThat(c.path("User").asText()).isEqualTo("nobody");
            assertThat(c.path("AttachStdin").asBoolean()).isFalse();
            JsonNode s = body(d.requests.stream().filter(r -> r.path().endsWith("/start")).findFirst().orElseThrow());
            assertThat(s.toString()).isEqualTo("{\"Detach\":false,\"Tty\":false}");
        }
    }

    static final String PS = """
            [{"Id":"%s","Names":["/web"],"Image":"busybox","ImageID":"sha256:abc","Command":"sh -c 'while true; do sleep 1; done'",
              "Created":%d,"Ports":[{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},{"PrivatePort":443,"Type":"tcp"},
              {"PrivatePort":444,"Type":"tcp"}],"Labels":{"b":"2","a":"1"},"State":"running","Status":"Up 3 seconds",
              "SizeRw":12,"SizeRootFs":4263141,"NetworkSettings":{"Networks":{"bridge":{}}},"Mounts":[]},
             {"Id":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","Names":["/old"],"Image":"sha256:abc",
              "ImageID":"sha256:abc","Command":"true","Created":%d,"Ports":[],"Labels":{},"State":"exited",
              "Status":"Exited (0) 2 minutes ago","NetworkSettings":{"Networks":{}},"Mounts":[]}]
            """.formatted(ID, NOW - 5, NOW - 3600 * 3);

    @Test
    void psTable() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> json(PS))) {
            CommandTest.Result res = run(d, "", "ps", "-a");
            assertThat(res.err()).isEmpty();
            // an image given by ID is shown as the short ID, as docker does
            assertThat(res.out()).isEqualTo("""
                    CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS                     PORTS                               NAMES
                    4fa6e0f0c678   busybox   "sh -c 'while true; …"   5 seconds ago   Up 3 seconds               443-444/tcp, 0.0.0.0:8080->80/tcp   web
                    0123456789ab   abc       "true"                   3 hours ago     Exited (0) 2 minutes ago                                       old
                    """);
            assertThat(query(d.requests.getLast())).isEqualTo("all=1");
            assertThat(run(d, "", "ps", "-q", "--no-trunc").out()).isEqualTo(ID + "\n0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
            res = run(d, "", "container", "ls", "-n", "2", "-f", "status=exited", "--format", "{{.Names}} {{.Size}} {{.Labels}} {{.Networks}}");
            assertThat(res.out()).isEqualTo("web 12B (virtual 4.26MB) a=1,b=2 bridge\nold 0B  \n");
            assertThat(query(d.requests.getLast())).isEqualTo("limit=2&size=1&filters={\"status\":[\"exited\"]}");
            run(d, "", "ps", "-l", "-s");
            assertThat(query(d.requests.getLast())).isEqualTo("limit=1&size=1");
        }
    }

    @Test
    void lifecycleCommandsPrintNames() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> r.path().contains("/missing/") || r.path().endsWith("/missing")
                ? FakeDaemon.Response.json(404, "{\"message\":\"No such container: missing\"}") : empty(204))) {
            CommandTest.Result res = run(d, "", "stop", "-t", "3", "-s", "SIGINT", "a", "b");
            assertThat(res.out()).isEqualTo("a\nb\n");
            assertThat(d.requests.getLast().target()).isEqualTo("/v1.47/containers/b/stop?signal=SIGINT&t=3");
            run(d, "", "kill", "-s", "HUP", "a");
            assertThat(d.requests.getLast().target()).isEqualTo("/v1.47/containers/a/kill?signal=HUP");
            run(d, "", "restart", "a");
            assertThat(d.requests.getLast().target()).isEqualTo("/v1.47/containers/a/restart");
            run(d, "", "pause", "a");
            assertThat(d.requests.getLast().target()).isEqualTo("/v1.47/containers/a/pause");
            run(d, "", "container", "unpause", "a");
            assertThat(d.requests.getLast().target()).isEqualTo("/v1.47/containers/a/unpause");
            res = run(d, "", "rm", "-f", "-v", "a", "missing");
            assertThat(res.out()).isEqualTo("a\n");
            assertThat(res.code()).isZero();
            res = run(d, "", "rm", "missing");
            assertThat(res.code()).isEqualTo(1);
            assertThat(res.err()).isEqualTo("Error response from daemon: No such container: missing\n");
            assertThat(d.requests.stream().filter(r -> r.method().equals("DELETE")).findFirst().orElseThrow().target())
                    .isEqualTo("/v1.47/containers/a?v=1&force=1");
            res = run(d, "", "start", "a", "missing");
            assertThat(res.out()).isEqualTo("a\n");
            assertThat(res.err()).isEqualTo("Error response from daemon: No such container: missing\nError: failed to start containers: missing\n");
            run(d, "", "rename", "a", "b");
            assertThat(d.requests.getLast().target()).isEqualTo("/v1.47/containers/a/rename?name=b");
        }
    }

    @Test
    void logsDemuxesAndConvertsSince() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> switch (r.path()) {
            case "/v1.47/containers/web/json" -> json("{\"Id\":\"" + ID + "\",\"Config\":{\"Tty\":false}}");
            case "/v1.47/containers/web/logs" -> new FakeDaemon.Response(200, MUX,
                    concat(StreamDemux.frame(1, b("line1\n")), StreamDemux.frame(2, b("err1\n"))), null, Map.of());
            default -> null;
        })) {
            CommandTest.Result res = run(d, "", "logs", "--tail", "5", "--since", "10m", "-t", "web");
            assertThat(res.out()).isEqualTo("line1\n");
            assertThat(res.err()).isEqualTo("err1\n");
            assertThat(query(d.requests.getLast())).isEqualTo("stdout=1&stderr=1&since=" + (NOW - 600) + ".000000000&timestamps=1&tail=5");
        }
    }

    @Test
    void waitDiffTopCommitUpdatePrune() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> switch (r.path()) {
            case "/v1.47/containers/a/wait" -> json("{\"StatusCode\":42}");
            case "/v1.47/containers/a/changes" -> json("[{\"Path\":\"/tmp\",\"Kind\":0},{\"Path\":\"/tmp/x\",\"Kind\":1},{\"Path\":\"/etc/y\",\"Kind\":2}]");
            case "/v1.47/containers/a/top" -> json("{\"Titles\":[\"UID\",\"PID\",\"CMD\"],\"Processes\":[[\"root\",\"1234\",\"sleep 100\"]]}");
            case "/v1.47/commit" -> FakeDaemon.Response.json(201, "{\"Id\":\"sha256:feed\"}");
            case "/v1.47/containers/a/update" -> json("{\"Warnings\":[]}");
            case "/v1.47/containers/prune" -> json("{\"ContainersDeleted\":[\"c1\",\"c2\"],\"SpaceReclaimed\":2048}");
            default -> null;
        })) {
            assertThat(run(d, "", "wait", "a").out()).isEqualTo("42\n");
            assertThat(run(d, "", "diff", "a").out()).isEqualTo("C /tmp\nA /tmp/x\nD /etc/y\n");
            assertThat(run(d, "", "top", "a", "-ef").out()).isEqualTo(
                    "UID                 PID                 CMD\nroot                1234                sleep 100\n");
            assertThat(query(d.requests.getLast())).isEqualTo("ps_args=-ef");
            assertThat(run(d, "", "commit", "-m", "msg", "-a", "me", "-c", "CMD [\"sh\"]", "--pause=false", "a", "repo/img:v2").out())
                    .isEqualTo("sha256:feed\n");
            assertThat(query(d.requests.getLast())).isEqualTo("container=a&repo=repo/img&tag=v2&comment=msg&author=me&pause=0&changes=CMD [\"sh\"]");
            assertThat(run(d, "", "update", "--memory", "1g", "--restart", "always", "a").out()).isEqualTo("a\n");
            assertThat(body(d.requests.getLast()).toString()).isEqualTo("{\"Memory\":1073741824,\"RestartPolicy\":{\"Name\":\"always\",\"MaximumRetryCount\":0}}");
            assertThat(run(d, "", "update", "a").err()).isEqualTo("you must provide one or more flags when using this command\n");
            assertThat(run(d, "", "container", "prune", "-f", "--filter", "until=1h").out())
                    .isEqualTo("Deleted Containers:\nc1\nc2\n\nTotal reclaimed space: 2.048kB\n");
            assertThat(query(d.requests.getLast())).isEqualTo("filters={\"until\":[\"1h\"]}");
        }
    }

    @Test
    void inspectTriesContainerThenImage() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> switch (r.path()) {
            case "/v1.47/containers/web/json" -> json("{\"Id\":\"" + ID + "\",\"Name\":\"/web\",\"State\":{\"Status\":\"running\"}}");
            case "/v1.47/images/busybox/json" -> json("{\"Id\":\"sha256:abc\"}");
            case "/v1.47/containers/busybox/json", "/v1.47/containers/nope/json" -> FakeDaemon.Response.json(404, "{\"message\":\"No such container: x\"}");
            case "/v1.47/images/nope/json" -> FakeDaemon.Response.json(404, "{\"message\":\"No such image: nope:latest\"}");
            default -> null;
        })) {
            assertThat(run(d, "", "inspect", "-f", "{{.Name}} {{.State.Status}}", "web").out()).isEqualTo("/web running\n");
            assertThat(run(d, "", "inspect", "-f", "{{.Id}}", "busybox").out()).isEqualTo("sha256:abc\n");
            CommandTest.Result r = run(d, "", "inspect", "nope");
            assertThat(r.out()).isEqualTo("[]\n");
            assertThat(r.err()).isEqualTo("Error: No such object: nope\n");
            r = run(d, "", "container", "inspect", "-s", "nope");
            assertThat(r.err()).isEqualTo("Error response from daemon: No such container: x\n");
            assertThat(query(d.requests.getLast())).isEqualTo("size=1");
        }
    }

    @Test
    void attachRefusesStoppedContainer() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> json("{\"Id\":\"" + ID + "\",\"State\":{\"Running\":false},\"Config\":{}}"))) {
            CommandTest.Result r = run(d, "", "attach", "web");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("You cannot attach to a stopped container, start it first\n");
        }
    }

    @Test
    void startAttachStreamsAndExits() throws Exception {
        try (FakeDaemon d = CommandTest.daemon(r -> switch (r.path()) {
            case "/v1.47/containers/web/json" -> json("{\"Id\":\"" + ID + "\",\"Config\":{\"Tty\":true,\"OpenStdin\":false},\"HostConfig\":{}}");
            case "/v1.47/containers/" + ID + "/attach" -> FakeDaemon.Response.hijack("application/vnd.docker.raw-stream", b("tty out\r\n"));
            case "/v1.47/containers/" + ID + "/wait" -> json("{\"StatusCode\":2}");
            case "/v1.47/containers/" + ID + "/start" -> empty(204);
            default -> null;
        })) {
            CommandTest.Result r = run(d, "", "start", "-a", "web");
            assertThat(r.out()).isEqualTo("tty out\r\n");
            assertThat(r.code()).isEqualTo(2);
        }
    }
}
