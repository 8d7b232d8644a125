/** The image store: records, tags, load, save, import, garbage collection. */
package io.berth.engine.image;
