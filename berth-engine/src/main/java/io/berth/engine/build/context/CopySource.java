package io.berth.engine.build.context;

import java.nio.file.Path;

/**
 * One resolved source of a COPY/ADD: a file or directory at {@code path} on the host ({@code null} for a
 * here-document, whose {@code content} it then holds), named {@code name} at the destination, with the relative path
 * {@code --parents} keeps ({@code keep}), its cache key, and whether ADD may unpack it as an archive.
 */
record CopySource(Path path, byte[] content, String name, String keep, String hash, boolean dir, boolean unpack) {}
