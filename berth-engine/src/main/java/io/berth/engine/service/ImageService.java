package io.berth.engine.service;

import io.berth.api.Filters;
import io.berth.api.image.HistoryItem;
import io.berth.api.image.ImageDeleteItem;
import io.berth.api.image.ImageInspect;
import io.berth.api.image.ImagePruneReport;
import io.berth.api.image.ImageSummary;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The image backend the API's image router calls. Names are references as the user typed them
 * ({@code busybox}, {@code busybox:1}, {@code localhost:5000/a/b@sha256:…}) or image IDs (full,
 * {@code sha256:}-prefixed, or a unique prefix). Errors are {@link io.berth.api.errors.BerthException}s.
 */
public interface ImageService {

    /** GET /images/json. Filters: dangling, reference, label, before, since. */
    List<ImageSummary> list(boolean all, Filters filters, boolean sharedSize);

    /** GET /images/{name}/json; NotFound "No such image: name". */
    ImageInspect inspect(String name);

    /** GET /images/{name}/history. */
    List<HistoryItem> history(String name);

    /** POST /images/{name}/tag?repo=&tag=; InvalidArgument for a bad reference. */
    void tag(String source, String repo, String tag);

    /** DELETE /images/{name}?force=&noprune=. */
    List<ImageDeleteItem> remove(String name, boolean force, boolean noPrune);

    /** POST /images/load: reads a docker-archive or OCI layout tar (optionally compressed). */
    void load(InputStream archive, boolean quiet, ProgressSink progress);

    /** GET /images/get and /images/{name}/get: writes one tar holding all named images. */
    void save(List<String> names, OutputStream out);

    /** POST /images/create?fromSrc=…: imports a root file system tarball as a one-layer image. */
    void importImage(ImportRequest request, ProgressSink progress);

    /** POST /images/prune. Filters: dangling (false prunes every unused image), until, label. */
    ImagePruneReport prune(Filters filters);

    /**
     * An import: {@code source} is the tar stream (the request body, or a download of
     * {@code url}); {@code repo}/{@code tag} may be null (untagged); {@code changes} are Dockerfile
     * instructions (CMD ENTRYPOINT ENV EXPOSE LABEL USER VOLUME WORKDIR); {@code platform} may be null.
     */
    record ImportRequest(InputStream source, String url, String repo, String tag, String message,
                         List<String> changes, String platform) {}
}
