/**
 * The engine's Prometheus metrics ({@link io.berth.engine.metrics.EngineMetrics}): moby's names where dockerd has the
 * metric, {@code berth_} ones for what only Berth measures (the phases of a container's start, exit and removal).
 * Made with the Prometheus Java client; a front serves them ({@link io.berth.engine.service.MetricsService}).
 */
package io.berth.engine.metrics;
