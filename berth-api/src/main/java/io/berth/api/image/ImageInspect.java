package io.berth.api.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * GET /images/{name}/json. {@code container} and {@code containerConfig} (the build step's container and probe config
 * a classic build or a commit stored) are answered below API 1.45 only, and {@code virtualSize} below API 1.44 only, as
 * moby does; null leaves them out.
 */
public record ImageInspect(
        String id,
        List<String> repoTags,
        List<String> repoDigests,
        String parent,
        String comment,
        String created,
        @JsonInclude(JsonInclude.Include.NON_NULL) String container,
        @JsonInclude(JsonInclude.Include.NON_NULL) ContainerConfig containerConfig,
        String dockerVersion,
        String author,
        ContainerConfig config,
        String architecture,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String variant,
        String os,
        long size,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long virtualSize,
        GraphDriver graphDriver,
        RootFs rootFS,
        Metadata metadata) {

    /** The answer for API 1.45 and later, which have no {@code Container} and {@code ContainerConfig}. */
    public ImageInspect withoutContainerFields() {
        return new ImageInspect(id, repoTags, repoDigests, parent, comment, created, null, null, dockerVersion, author, config,
                architecture, variant, os, size, virtualSize, graphDriver, rootFS, metadata);
    }

    /** The answer for API 1.44 and later, which have no {@code VirtualSize}. */
    public ImageInspect withoutVirtualSize() {
        return new ImageInspect(id, repoTags, repoDigests, parent, comment, created, container, containerConfig, dockerVersion,
                author, config, architecture, variant, os, size, null, graphDriver, rootFS, metadata);
    }

    public record GraphDriver(String name, Map<String, String> data) {}

    public record RootFs(String type, List<String> layers) {}

    public record Metadata(String lastTagTime) {}
}
