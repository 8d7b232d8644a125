package io.berth.api.container;

import java.util.List;

/**
 * GET /containers/{id}/top: the {@code ps} header's fields and the rows of the container's processes
 * (each row as many columns as titles, the last keeping its spaces).
 */
public record ContainerTopResponse(List<String> titles, List<List<String>> processes) {}
