/** The metrics front: the engine's {@link io.berth.engine.service.MetricsService} served to Prometheus. */
package io.berth.server.metrics;
