package io.berth.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.api.Filters;
import io.berth.api.container.ContainerPathStat;
import io.berth.api.container.ContainerPruneReport;
import io.berth.api.container.FilesystemChange;
import io.berth.engine.service.ContainerFsService;
import io.berth.api.errors.BerthException;
import io.berth.server.RawHttp;
import io.berth.http.HttpServer;
import io.berth.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerFilesRouterTest {
    @TempDir Path dir;
    Path sock;
    HttpServer server;
    final List<String> calls = new ArrayList<>();

    final ContainerFsService fake = new ContainerFsService() {
        @Override public ContainerPathStat stat(String ref, String path) {
            if (path.equals("/x")) throw new BerthException.NotFound("Could not find the file /x in container " + ref);
            return new ContainerPathStat("hostname", 13, 0644, "2024-01-02T03:04:05Z", "");
        }

        @Override public void archive(String ref, String path, Function<ContainerPathStat, OutputStream> open) {
            try {
                OutputStream out = open.apply(stat(ref, path));
                out.write("TAR".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public void extract(String ref, String path, boolean noOverwrite, boolean copyUidGid, InputStream tar) {
            try {
                calls.add("extract " + ref + " " + path + " " + noOverwrite + " " + copyUidGid + " "
                        + new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public void export(String ref, Supplier<OutputStream> open) { }

        @Override public List<FilesystemChange> changes(String ref) {
            return List.of(new FilesystemChange("/tmp", 0), new FilesystemChange("/tmp/x", 1));
        }

        @Override public String commit(CommitRequest r) {
            calls.add("commit " + r.container() + " " + r.repo() + ":" + r.tag() + " pause=" + r.pause() + " " + r.changes()
                    + " cmd=" + (r.config() == null ? null : r.config().cmd()));
            return "sha256:abc";
        }

        @Override public ContainerPruneReport prune(Filters filters) { return new ContainerPruneReport(null, 0); }
    };

    @BeforeEach void start() throws Exception {
        sock = dir.resolve("api.sock");
        Router router = Router.builder().add(new ContainerFilesRouter(fake)).build();
        server = ApiRoutes.server(router);
        server.listen(UnixDomainSocketAddress.of(sock));
    }

    @AfterEach void stop() { server.close(); }

    @Test void statHeaderIsBase64Json() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            RawHttp.Reply r = c.exchange("HEAD", "/v1.47/containers/c1/archive?path=/etc/hostname");
            assertThat(r.status()).isEqualTo(200);
            String json = new String(Base64.getDecoder().decode(r.header("X-Docker-Container-Path-Stat")), StandardCharsets.UTF_8);
            assertThat(json).isEqualTo("{\"name\":\"hostname\",\"size\":13,\"mode\":420,\"mtime\":\"2024-01-02T03:04:05Z\",\"linkTarget\":\"\"}");
            RawHttp.Reply nf = c.exchange("HEAD", "/containers/c1/archive?path=/x");
            assertThat(nf.status()).isEqualTo(404);
            RawHttp.Reply get = c.exchange("GET", "/containers/c1/archive?path=/etc/hostname");
            assertThat(get.header("Content-Type")).isEqualTo("application/x-tar");
            assertThat(get.header("X-Docker-Container-Path-Stat")).isNotEmpty();
            assertThat(get.text()).isEqualTo("TAR");
            RawHttp.Reply missing = c.exchange("GET", "/containers/c1/archive?path=/x");
            assertThat(missing.text()).isEqualTo("{\"message\":\"Could not find the file /x in container c1\"}\n");
        }
    }

    @Test void putExtractsWithFlags() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            c.send("PUT /containers/c1/archive?path=/tmp&noOverwriteDirNonDir=true&copyUIDGID=1 HTTP/1.1\r\nHost: d\r\n"
                    + "Content-Type: application/x-tar\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(calls).containsExactly("extract c1 /tmp true true abc");
    }

    @Test void changesCommitAndPrune() throws Exception {
        try (RawHttp c = new RawHttp(sock)) {
            assertThat(c.exchange("GET", "/containers/c1/changes").text())
                    .isEqualTo("[{\"Path\":\"/tmp\",\"Kind\":0},{\"Path\":\"/tmp/x\",\"Kind\":1}]\n");
            String body = "{\"Cmd\":[\"sh\"]}";
            c.send("POST /commit?container=c1&repo=img&tag=v1&pause=0&changes=ENV%20A%3D1 HTTP/1.1\r\nHost: d\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            RawHttp.Reply r = c.read();
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.text()).isEqualTo("{\"Id\":\"sha256:abc\"}\n");
            assertThat(c.exchange("POST", "/containers/prune").text()).isEqualTo("{\"ContainersDeleted\":null,\"SpaceReclaimed\":0}\n");
        }
        assertThat(calls).containsExactly("commit c1 img:v1 pause=false [ENV A=1] cmd=[sh]");
    }
}
