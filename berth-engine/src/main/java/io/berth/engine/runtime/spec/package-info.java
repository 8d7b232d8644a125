/**
 * OCI runtime spec generation: a pure function from an image's config, a container create request
 * and the facts berthd decided (id, rootfs, hostname, user, mounts, namespaces, cgroup path, host
 * limits) to the bundle's {@code config.json}, with Docker Engine's defaults.
 * Entry point: {@link io.berth.engine.runtime.spec.SpecBuilder#build(SpecInput)}.
 */
package io.berth.engine.runtime.spec;
