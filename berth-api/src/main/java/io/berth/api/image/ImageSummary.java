package io.berth.api.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** An entry of GET /images/json. {@code virtualSize} (the size again) is answered below API 1.44 only, as moby does. */
public record ImageSummary(
        String id,
        String parentId,
        List<String> repoTags,
        List<String> repoDigests,
        long created,
        long size,
        long sharedSize,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long virtualSize,
        Map<String, String> labels,
        long containers) {

    /** The entry for API 1.44 and later, which have no {@code VirtualSize}. */
    public ImageSummary withoutVirtualSize() {
        return new ImageSummary(id, parentId, repoTags, repoDigests, created, size, sharedSize, null, labels, containers);
    }
}
