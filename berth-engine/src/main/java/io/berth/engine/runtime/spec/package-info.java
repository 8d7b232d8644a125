/**
 * OCI runtime spec generation: a pure function from an image's config, a container create request
 * and the facts berthd decided (id, rootfs, hostname, user, mounts, namespaces, cgroup path, host
 * limits) to the bundle's {@code config.json}, with Docker Engine's defaults.
 * Entry point: {@link io.berth.engine.runtime.spec.SpecBuilder#build(SpecInput)}; the {@code process}
 * object of containers and of execs ({@code runc exec --process}) is built by
 * {@link io.berth.engine.runtime.spec.OciProcess}.
 */
package io.berth.engine.runtime.spec;
