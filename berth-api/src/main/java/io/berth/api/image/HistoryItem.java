package io.berth.api.image;

import java.util.List;

/** An entry of GET /images/{name}/history, newest first. */
public record HistoryItem(String id, long created, String createdBy, List<String> tags, long size, String comment) {}
