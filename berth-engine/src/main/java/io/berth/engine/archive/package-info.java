/** Tar reading and writing, compression, and applying layer diffs (whiteouts, hard links, xattrs). */
package io.berth.engine.archive;
