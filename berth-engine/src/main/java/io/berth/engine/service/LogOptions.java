package io.berth.engine.service;

import java.time.Instant;

/** GET /containers/{id}/logs options; {@code tail} < 0 means all, {@code since}/{@code until} may be null. */
public record LogOptions(boolean stdout, boolean stderr, boolean follow, int tail, Instant since, Instant until, boolean timestamps) {}
