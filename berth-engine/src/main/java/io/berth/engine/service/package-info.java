/**
 * The engine's face: every interface a front calls (the Docker API server today; the registry server, the CRI
 * server and the metrics endpoint later) and the values they exchange. One interface per resource, after moby's
 * router backends: {@link io.berth.engine.service.ContainerService}, {@link io.berth.engine.service.ImageService},
 * {@link io.berth.engine.service.ExecService}, {@link io.berth.engine.service.NetworkService},
 * {@link io.berth.engine.service.VolumeService}, {@link io.berth.engine.service.SystemService},
 * {@link io.berth.engine.service.EventService}, and the file-system and resource parts of containers.
 *
 * <p>This package imports nothing of the engine: only berth-api (wire records, filters, the error family). The
 * implementations live in the engine's packages and are assembled by {@code io.berth.engine.daemon}; a test
 * ({@code ImportRulesTest} in berth-it) fails the build when an import breaks that rule.
 */
package io.berth.engine.service;
