package io.berth.api.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** An entry of GET /containers/json. */
public record ContainerSummary(
        String id,
        List<String> names,
        String image,
        String imageID,
        String command,
        long created,
        List<Port> ports,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeRw,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeRootFs,
        Map<String, String> labels,
        String state,
        String status,
        Map<String, String> hostConfig,
        SummaryNetworkSettings networkSettings,
        List<MountPoint> mounts) {}
