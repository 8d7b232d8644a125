package io.berth.engine.service;

import io.berth.api.Filters;
import io.berth.api.container.ContainerPathStat;
import io.berth.api.container.ContainerPruneReport;
import io.berth.api.container.FilesystemChange;
import io.berth.api.image.ContainerConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The backend of the routes that read or change a container's file system: archive (docker cp),
 * export, changes (docker diff), commit and container prune. They work on running and stopped
 * containers alike. {@code ref} is a container ID, ID prefix or name.
 */
public interface ContainerFsService {
    /** HEAD /containers/{id}/archive. */
    ContainerPathStat stat(String ref, String path);

    /** GET /containers/{id}/archive: {@code open} is given the stat (for the header) and returns where the tar goes. */
    void archive(String ref, String path, Function<ContainerPathStat, OutputStream> open);

    /** PUT /containers/{id}/archive: extracts {@code tar} into the directory {@code path}. */
    void extract(String ref, String path, boolean noOverwriteDirNonDir, boolean copyUidGid, InputStream tar);

    /** GET /containers/{id}/export: the whole root file system as a tar. */
    void export(String ref, Supplier<OutputStream> open);

    /** GET /containers/{id}/changes. */
    List<FilesystemChange> changes(String ref);

    /** POST /commit; returns the new image ID. */
    String commit(CommitRequest request);

    /** POST /containers/prune. */
    ContainerPruneReport prune(Filters filters);

    /** The parameters of POST /commit; {@code config} (the body) may be null. */
    record CommitRequest(String container, String repo, String tag, String comment, String author, boolean pause,
                         List<String> changes, ContainerConfig config) {}
}
