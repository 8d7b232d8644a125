/**
 * The runtime driver: how berthd creates, starts, watches, attaches to, signals and cleans up a
 * container. {@link io.berth.engine.runtime.OciRuntime} is the seam the lifecycle drives;
 * {@link io.berth.engine.runtime.ConmonRuntime} implements it with conmon (one monitor per
 * container, the container's parent) and an OCI runtime (runc or crun).
 * {@link io.berth.engine.runtime.OciCommands} is the runtime's command line for execs
 * ({@code runc exec}) and live updates;
 * {@link io.berth.engine.runtime.LogReader} reads the k8s-file logs conmon writes, and
 * {@link io.berth.engine.runtime.LogRotator} rotates them ({@code container.log}, {@code .1} … as
 * Docker's json-file driver; berthd renames, conmon reopens on a ctl message). A burst can take a
 * file past max-size by what the container writes before the rotation (about a millisecond).
 *
 * <p>Files: conmon's attach socket and ctl/winsz FIFOs live in the bundle directory (conmon puts
 * them there); the driver's own files live in {@code <execRoot>/containers/<id>/} (conmon and
 * container pid files, runc's log) and {@code <execRoot>/exits/<id>} (conmon's exit
 * file, watched with inotify).
 */
package io.berth.engine.runtime;
