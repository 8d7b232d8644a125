package io.berth.api.image;

import java.util.List;

/** POST /images/prune. */
public record ImagePruneReport(List<ImageDeleteItem> imagesDeleted, long spaceReclaimed) {}
