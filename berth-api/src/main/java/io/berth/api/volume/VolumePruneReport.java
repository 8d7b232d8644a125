package io.berth.api.volume;

import java.util.List;

/** POST /volumes/prune. */
public record VolumePruneReport(List<String> volumesDeleted, long spaceReclaimed) {}
