package io.berth.api.network;

import java.util.List;

/** {@code POST /networks/prune}: the names of the networks removed. */
public record NetworkPruneReport(List<String> networksDeleted) {}
