package io.berth.server.api;

import io.berth.api.ApiVersion;
import io.berth.api.Filters;
import io.berth.api.Json;
import io.berth.api.JsonMessage;
import io.berth.engine.service.ImageService;
import io.berth.engine.service.ProgressSink;
import io.berth.api.errors.BerthException;
import io.berth.http.Request;
import io.berth.http.Response;
import io.berth.http.Router;
import io.berth.server.http.ApiRouter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The {@code /images/…} routes of moby's image router, over {@link ImageService}. */
public final class ImagesRouter implements Router.Routes {
    private static final ApiVersion NO_CONTAINER_FIELDS = new ApiVersion(1, 45);
    private static final ApiVersion NO_VIRTUAL_SIZE = new ApiVersion(1, 44);
    private final ImageService images;
    private final DistributionRouter pulls;

    /** {@code pulls} serves {@code POST /images/create?fromImage=}; null answers 501 (an engine without registries). */
    public ImagesRouter(ImageService images, DistributionRouter pulls) {
        this.images = images;
        this.pulls = pulls;
    }

    /** Below API 1.45 the answer has moby's deprecated {@code Container} and {@code ContainerConfig}, below 1.44 {@code VirtualSize}. */
    private io.berth.api.image.ImageInspect inspect(Request req) {
        io.berth.api.image.ImageInspect i = images.inspect(req.param("name"));
        ApiVersion v = ApiRouter.version(req);
        if (v.atLeast(NO_VIRTUAL_SIZE)) i = i.withoutVirtualSize();
        return v.atLeast(NO_CONTAINER_FIELDS) ? i.withoutContainerFields() : i;
    }

    @Override public void register(Router.Builder r) {
        // literal paths first: /images/json must not be read as an image named "json"
        r.get("/images/json", this::list)
                .get("/images/get", this::saveMany)
                .post("/images/load", this::load)
                .post("/images/create", this::create)
                .post("/images/prune", (req, res) -> res.json(200, images.prune(Filters.parse(req.query("filters")))))
                .get("/images/{name:.*}/json", (req, res) -> res.json(200, inspect(req)))
                .get("/images/{name:.*}/history", (req, res) -> res.json(200, images.history(req.param("name"))))
                .get("/images/{name:.*}/get", this::saveOne)
                .post("/images/{name:.*}/tag", this::tag)
                .delete("/images/{name:.*}", this::remove);
    }

    private void list(Request req, Response res) throws IOException {
        boolean all = req.bool("all");
        boolean sharedSize = req.bool("shared-size");
        req.bool("digests"); // validated; digests are always listed in RepoDigests
        var list = images.list(all, Filters.parse(req.query("filters")), sharedSize);
        res.json(200, ApiRouter.version(req).atLeast(NO_VIRTUAL_SIZE)
                ? list.stream().map(io.berth.api.image.ImageSummary::withoutVirtualSize).toList() : list);
    }

    private void tag(Request req, Response res) throws IOException {
        images.tag(req.param("name"), req.query("repo", ""), req.query("tag", ""));
        res.empty(201);
    }

    private void remove(Request req, Response res) throws IOException {
        res.json(200, images.remove(req.param("name"), req.bool("force"), req.bool("noprune")));
    }

    private void saveMany(Request req, Response res) throws IOException {
        save(req.queryAll("names"), res);
    }

    private void saveOne(Request req, Response res) throws IOException {
        save(List.of(req.param("name")), res);
    }

    private void save(List<String> names, Response res) throws IOException {
        if (names.isEmpty()) throw new IllegalArgumentException("no image names given (names=...)");
        OutputStream out = res.stream(200, "application/x-tar");
        images.save(names, out);
        out.flush();
    }

    /**
     * moby's postImagesLoad: a load that fails ends the 200 stream with the error, even before any output (unlike pull
     * and push, which answer a status then); docker-py's {@code images.load} raises ImageLoadError from that line.
     */
    private void load(Request req, Response res) {
        boolean quiet = req.bool("quiet", true);
        OutputStream out = res.stream(200, "application/json");
        ProgressSink progress = progress(out);
        try {
            images.load(req.body(), quiet, progress);
        } catch (BerthException e) {
            progress.send(JsonMessage.error(e.getMessage()));
        }
    }

    private void create(Request req, Response res) {
        String fromImage = req.query("fromImage", "");
        String fromSrc = req.query("fromSrc", "");
        if (!fromImage.isEmpty()) {
            if (pulls != null) {
                pulls.pull(req, res);
                return;
            }
            throw new BerthException.NotImplemented("pulling images from a registry is not supported yet (fromImage="
                    + fromImage + "); load or import the image instead");
        }
        if (fromSrc.isEmpty()) throw new IllegalArgumentException("either fromSrc or fromImage must be given");
        boolean stdin = fromSrc.equals("-");
        var request = new ImageService.ImportRequest(stdin ? req.body() : null, stdin ? null : fromSrc,
                emptyToNull(req.query("repo")), emptyToNull(req.query("tag")), emptyToNull(req.query("message")),
                req.queryAll("changes"), emptyToNull(req.query("platform")));
        OutputStream out = res.stream(200, "application/json");
        images.importImage(request, progress(out));
    }

    /** Writes each message as one JSON line and flushes it at once. */
    static ProgressSink progress(OutputStream out) {
        return (JsonMessage m) -> {
            try {
                out.write(Json.wire().writeValueAsBytes(m));
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static String emptyToNull(String s) { return s == null || s.isEmpty() ? null : s; }
}
