package io.berth.api.volume;

import java.util.List;

/** GET /volumes. */
public record VolumeListResponse(List<Volume> volumes, List<String> warnings) {}
