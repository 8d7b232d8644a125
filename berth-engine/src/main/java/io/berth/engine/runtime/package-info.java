/**
 * The runtime driver: how berthd creates, starts, watches, attaches to, signals, execs into and
 * cleans up a container through conmon (one monitor per container, the container's parent) and an
 * OCI runtime (runc). {@link io.berth.engine.runtime.ConmonRuntime} is the driver;
 * {@link io.berth.engine.runtime.LogReader} reads the k8s-file logs conmon writes.
 *
 * <p>Files: conmon's attach socket and ctl/winsz FIFOs live in the bundle directory (conmon puts
 * them there); the driver's own files live in {@code <execRoot>/containers/<id>/} (conmon and
 * container pid files, runc's log, exec sessions) and {@code <execRoot>/exits/<id>} (conmon's exit
 * file, watched with inotify).
 */
package io.berth.engine.runtime;
