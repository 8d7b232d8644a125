/**
 * Volumes: the {@code local} driver ({@code <data-root>/volumes/<name>/_data} with its metadata), the
 * parsing and validation of a container's mounts ({@code -v}, {@code --mount}, {@code --volumes-from},
 * image {@code VOLUME}s) with Docker's errors, copy-up of image content into empty volumes, and the
 * service behind the {@code /volumes} routes.
 */
package io.berth.engine.volume;
