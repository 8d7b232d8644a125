package io.berth.api.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** GET /images/{name}/json. */
public record ImageInspect(
        String id,
        List<String> repoTags,
        List<String> repoDigests,
        String parent,
        String comment,
        String created,
        String dockerVersion,
        String author,
        ContainerConfig config,
        String architecture,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) String variant,
        String os,
        long size,
        long virtualSize,
        GraphDriver graphDriver,
        RootFs rootFS,
        Metadata metadata) {

    public record GraphDriver(String name, Map<String, String> data) {}

    public record RootFs(String type, List<String> layers) {}

    public record Metadata(String lastTagTime) {}
}
