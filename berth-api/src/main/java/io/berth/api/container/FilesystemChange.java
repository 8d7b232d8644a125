package io.berth.api.container;

/** One entry of GET /containers/{id}/changes: {@code kind} 0 modified, 1 added, 2 deleted. */
public record FilesystemChange(String path, int kind) {
    public static final int MODIFIED = 0;
    public static final int ADDED = 1;
    public static final int DELETED = 2;
}
