package io.berth.api.container;

import java.util.List;

/** POST /containers/prune; {@code containersDeleted} is null when nothing was removed, as dockerd sends it. */
public record ContainerPruneReport(List<String> containersDeleted, long spaceReclaimed) {}
