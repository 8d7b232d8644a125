package io.berth.api.system;

import io.berth.api.image.ImageSummary;
import java.util.List;

/** GET /system/df. Containers, volumes and build cache are filled by later issues. */
public record DiskUsage(long layersSize, List<ImageSummary> images, List<io.berth.api.container.ContainerSummary> containers, List<Object> volumes, List<Object> buildCache) {}
