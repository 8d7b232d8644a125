package io.berth.server.api;

import io.berth.api.Filters;
import io.berth.api.Json;
import io.berth.api.container.ContainerPathStat;
import io.berth.api.container.IdResponse;
import io.berth.api.image.ContainerConfig;
import io.berth.engine.service.ContainerFsService;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The routes over a container's file system: {@code /containers/{id}/archive} (HEAD, GET, PUT:
 * docker cp), {@code /containers/{id}/export}, {@code /containers/{id}/changes},
 * {@code POST /commit} and {@code POST /containers/prune}.
 */
public final class ContainerFilesRouter implements Router.Routes {
    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final ContainerFsService fs;

    public ContainerFilesRouter(ContainerFsService fs) { this.fs = fs; }

    @Override public void register(Router.Builder r) {
        r.post("/containers/prune", (req, res) -> res.json(200, fs.prune(Filters.parse(req.query("filters")))))
                .head("/containers/{id}/archive", this::stat)
                .get("/containers/{id}/archive", this::archive)
                .put("/containers/{id}/archive", this::extract)
                .get("/containers/{id}/export", this::export)
                .get("/containers/{id}/changes", (req, res) -> res.json(200, fs.changes(req.param("id"))))
                .post("/commit", this::commit);
    }

    static String statHeader(ContainerPathStat stat) {
        try {
            return Base64.getEncoder().encodeToString(Json.plain().writeValueAsBytes(stat));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String path(Request req) {
        String p = req.query("path", "");
        if (p.isEmpty()) throw new IllegalArgumentException("path cannot be empty");
        return p;
    }

    private void stat(Request req, Response res) throws IOException {
        ContainerPathStat stat = fs.stat(req.param("id"), path(req));
        res.header(STAT_HEADER, statHeader(stat));
        res.empty(200);
    }

    private void archive(Request req, Response res) throws IOException {
        fs.archive(req.param("id"), path(req), stat -> {
            res.header(STAT_HEADER, statHeader(stat));
            return res.stream(200, "application/x-tar");
        });
    }

    private void extract(Request req, Response res) throws IOException {
        String path = path(req);
        try (InputStream body = req.body()) {
            fs.extract(req.param("id"), path, req.bool("noOverwriteDirNonDir"), req.bool("copyUIDGID"), body);
        }
        res.empty(200);
    }

    private void export(Request req, Response res) throws IOException {
        fs.export(req.param("id"), () -> res.stream(200, "application/x-tar"));
    }

    private void commit(Request req, Response res) throws IOException {
        ContainerConfig config = req.json(ContainerConfig.class);
        var request = new ContainerFsService.CommitRequest(req.query("container", ""), req.query("repo", ""), req.query("tag", ""),
                req.query("comment", ""), req.query("author", ""), req.bool("pause", true), req.queryAll("changes"), config);
        res.json(201, new IdResponse(fs.commit(request)));
    }
}
