package io.berth.api.container;

import java.util.List;

/** POST /containers/create answers 201 with this. */
public record ContainerCreateResponse(String id, List<String> warnings) {}
